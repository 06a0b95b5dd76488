using System.Diagnostics;
using System.Text;
using Vigil.Netlink;

namespace Vigil.Tests.Kernel;

/// <summary>Raw records read off an audit socket, as type and payload text, for assertions that do not depend on the parser.</summary>
internal static class KernelRecords
{
    public static List<(ushort Type, string Text)> ReadUntil(AuditClient reader, Func<List<(ushort Type, string Text)>, bool> done, TimeSpan timeout)
    {
        var records = new List<(ushort Type, string Text)>();
        var buffer = new byte[AuditClient.RecordBufferBytes];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !done(records))
        {
            if (reader.Receive(buffer, 200, out var length) != NetlinkReceiveStatus.Data)
            {
                continue;
            }

            var messages = new NetlinkMessageReader(buffer.AsSpan(0, length));
            while (messages.TryRead(out var message))
            {
                records.Add((message.Type, Encoding.UTF8.GetString(message.Payload)));
            }
        }

        return records;
    }

    /// <summary>The serial of <c>audit(SEC.MS:SERIAL): …</c>.</summary>
    public static string Serial(string text) => text[(text.IndexOf(':') + 1)..text.IndexOf(')')];

    public static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
    }

    public static string Output(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
