using System.Buffers;
using System.Globalization;
using System.Reflection;
using Vigil.Tables;

namespace Vigil.Logging;

/// <summary>
/// A status line as osquery's buffered loggers send it: <c>hostIdentifier</c>, <c>calendarTime</c>, <c>unixTime</c>,
/// <c>severity</c> (0 info, 1 warning, 2 error), <c>filename</c>, <c>line</c>, <c>message</c>, <c>version</c>, every
/// value a string as Fleet's documentation shows them, written by <see cref="JsonText"/>.
/// </summary>
public static class StatusLineJson
{
    private static readonly string Version = typeof(StatusLineJson).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    /// <summary>The line's JSON object as UTF-8.</summary>
    public static byte[] Format(string hostIdentifier, DateTimeOffset time, StatusSeverity severity, string file, int line, string message)
    {
        var output = new ArrayBufferWriter<byte>(256 + message.Length);
        output.Write("{"u8);
        var first = true;
        Member(output, "hostIdentifier", hostIdentifier, ref first);
        Member(output, "calendarTime", CalendarTime.Format(time), ref first);
        Member(output, "unixTime", time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ref first);
        Member(output, "severity", ((int)severity).ToString(CultureInfo.InvariantCulture), ref first);
        Member(output, "filename", Path.GetFileName(file), ref first);
        Member(output, "line", line.ToString(CultureInfo.InvariantCulture), ref first);
        Member(output, "message", message, ref first);
        Member(output, "version", Version, ref first);
        output.Write("}"u8);
        return output.WrittenSpan.ToArray();
    }

    private static void Member(ArrayBufferWriter<byte> output, string name, string value, ref bool first)
    {
        JsonText.Name(output, name, ref first);
        JsonText.String(output, value);
    }
}
