using System.Buffers;
using System.Text;

namespace Vigil.Tables;

/// <summary>
/// The command lines of a table's rows, <c>cmdline</c> and <c>parent_cmdline</c> (those it has), masked with
/// <see cref="RedactionPatterns"/> before the row leaves the ingest path, whichever source built it: a parent's
/// command line is the same secret in socket_events as in process_events. bpf_process_events' <c>json_cmdline</c>,
/// whose arguments the patterns (written for the joined command line) cannot be matched against one by one, becomes
/// the masked command line as one element when anything was masked.
/// </summary>
public sealed class CommandLineRedaction
{
    private readonly RedactionPatterns _patterns;
    private readonly int _cmdline;
    private readonly int _parentCmdline;
    private readonly int _jsonCmdline;

    private CommandLineRedaction(RedactionPatterns patterns, int cmdline, int parentCmdline, int jsonCmdline)
    {
        _patterns = patterns;
        _cmdline = cmdline;
        _parentCmdline = parentCmdline;
        _jsonCmdline = jsonCmdline;
    }

    /// <summary>The redaction of <paramref name="spec"/>'s rows, or null when it has no command line column.</summary>
    public static CommandLineRedaction? For(TableSpec spec, RedactionPatterns patterns)
    {
        var cmdline = spec.IndexOf("cmdline");
        var parentCmdline = spec.IndexOf("parent_cmdline");
        return cmdline < 0 && parentCmdline < 0 ? null : new(patterns, cmdline, parentCmdline, spec.IndexOf("json_cmdline"));
    }

    /// <summary>Masks the row's command lines in place.</summary>
    public void Apply(Span<ColumnValue> row)
    {
        if (Redact(row, _cmdline) && _jsonCmdline >= 0)
        {
            var json = new ArrayBufferWriter<byte>();
            json.Write("["u8);
            JsonString.String(json, row[_cmdline].Text!);
            json.Write("]"u8);
            row[_jsonCmdline] = ColumnValue.Of(Encoding.UTF8.GetString(json.WrittenSpan));
        }

        Redact(row, _parentCmdline);
    }

    // True when something was masked (Redact hands back the same string when nothing matched).
    private bool Redact(Span<ColumnValue> row, int column)
    {
        if (column < 0 || row[column].Text is not { } commandLine)
        {
            return false;
        }

        var redacted = _patterns.Redact(commandLine);
        row[column] = ColumnValue.Of(redacted);
        return !ReferenceEquals(redacted, commandLine);
    }
}
