using System.Text;
using Vigil.KernelAbi;
using Vigil.Records;
using Xunit;

namespace Vigil.Tests.Records;

/// <summary>The recorded auditd logs under Fixtures/records (see the README there).</summary>
internal static class RecordFixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "records", name);

    public static byte[][] Lines(string name)
    {
        var text = File.ReadAllBytes(PathOf(name));
        var lines = new List<byte[]>();
        var span = text.AsSpan();
        int newline;
        while ((newline = span.IndexOf((byte)'\n')) >= 0)
        {
            lines.Add(span[..newline].ToArray());
            span = span[(newline + 1)..];
        }

        return [.. lines];
    }

    /// <summary>The first line of a record type and serial, e.g. ("EXECVE", 4).</summary>
    public static byte[] Line(string name, string type, uint serial) =>
        Lines(name).First(line =>
        {
            Assert.True(RecordParser.TryParseLogLine(line, out var record));
            return record.Serial == serial && RecordType.GetName(record.Type) == type;
        });

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
