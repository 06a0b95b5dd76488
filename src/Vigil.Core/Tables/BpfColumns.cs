using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using Vigil.Bpf;

namespace Vigil.Tables;

/// <summary>Cells made from BPF records, shared by the BPF row builders. Strings are made here, at the row boundary.</summary>
internal static class BpfColumns
{
    /// <summary>The columns both bpf tables open with, as osquery declared them.</summary>
    public static IReadOnlyList<ColumnSpec> Leading { get; } =
    [
        new("tid", ColumnType.BigInt, "Thread ID"),
        new("pid", ColumnType.BigInt, "Process ID"),
        new("parent", ColumnType.BigInt, "Parent process ID"),
        new("uid", ColumnType.BigInt, "User ID"),
        new("gid", ColumnType.BigInt, "Group ID"),
        new("cid", ColumnType.Integer, "Cgroup ID"),
    ];

    /// <summary>Bytes from the kernel (paths, arguments) as text, invalid UTF-8 replaced as the audit decoder does.</summary>
    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>The arguments joined with single spaces, as process_events shows them from audit's EXECVE records.</summary>
    public static string CommandLine(ReadOnlySpan<byte> argv)
    {
        var arguments = WithoutLastTerminator(argv);
        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(arguments.Length, 1));
        try
        {
            var joined = copy.AsSpan(0, arguments.Length);
            arguments.CopyTo(joined);
            joined.Replace((byte)0, (byte)' ');
            return Encoding.UTF8.GetString(joined);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>
    /// osquery's bpf_process_events cmdline: the arguments joined with spaces, an argument with white space in it
    /// wrapped in single quotes.
    /// </summary>
    public static string QuotedCommandLine(ReadOnlySpan<byte> argv)
    {
        var text = new StringBuilder(argv.Length + 8);
        var rest = WithoutLastTerminator(argv);
        var first = true;
        while (true)
        {
            var end = rest.IndexOf((byte)0);
            var argument = Text(end < 0 ? rest : rest[..end]);
            if (!first)
            {
                text.Append(' ');
            }

            var quote = argument.AsSpan().IndexOfAny(" \t\n\v\f\r") >= 0;
            text.Append(quote ? "'" : "").Append(argument).Append(quote ? "'" : "");
            first = false;
            if (end < 0)
            {
                return text.ToString();
            }

            rest = rest[(end + 1)..];
        }
    }

    /// <summary>osquery's json_cmdline: the arguments as a JSON array of strings.</summary>
    public static string JsonCommandLine(ReadOnlySpan<byte> argv)
    {
        var json = new ArrayBufferWriter<byte>(argv.Length + 8);
        json.Write("["u8);
        var rest = WithoutLastTerminator(argv);
        for (var first = true; !argv.IsEmpty; first = false)
        {
            if (!first)
            {
                json.Write(","u8);
            }

            var end = rest.IndexOf((byte)0);
            JsonString.String(json, Text(end < 0 ? rest : rest[..end]));
            if (end < 0)
            {
                break;
            }

            rest = rest[(end + 1)..];
        }

        json.Write("]"u8);
        return Encoding.UTF8.GetString(json.WrittenSpan);
    }

    /// <summary>
    /// The columns both bpf tables open with, in osquery's order (tid, pid, parent, uid, gid, cid, then probe_error
    /// at 7 and path at 9), and their timing columns at the indexes given.
    /// </summary>
    public static void Common(in BpfRecord record, BpfClock clock, Span<ColumnValue> row, int duration, int ntime, int time, int eid)
    {
        ref readonly var header = ref record.Header;
        row[0] = ColumnValue.Of(header.Tid);
        row[1] = ColumnValue.Of(header.Pid);
        row[2] = ColumnValue.Of(header.Ppid);
        row[3] = ColumnValue.Of(header.Uid);
        row[4] = ColumnValue.Of(header.Gid);
        row[5] = ColumnValue.Of((long)header.CgroupId);
        row[7] = ColumnValue.Of(header.Truncated ? 1 : 0);
        row[9] = ColumnValue.Of(Text(record.ExePath));
        row[duration] = ColumnValue.Of((long)header.DurationNs);
        row[ntime] = ColumnValue.Of(Decimal((long)header.TimeNs));
        row[time] = ColumnValue.Of(clock.UnixSeconds(header.TimeNs));
        row[eid] = ColumnValue.Null;
    }

    /// <summary>A file mode as audit prints it in PATH records: octal with a leading 0 (0100755).</summary>
    public static string Mode(uint mode) => "0" + Convert.ToString(mode, 8);

    /// <summary>An IPv4 or IPv6 address from a socket's address bytes, IPv6 in the canonical short form.</summary>
    public static string Address(int family, ReadOnlySpan<byte> bytes) =>
        new IPAddress(family == Records.SockAddr.AfInet6 ? bytes[..16] : bytes[..4]).ToString();

    /// <summary>A decimal number as text (exit codes, the boot-time ntime).</summary>
    public static string Decimal(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static ReadOnlySpan<byte> WithoutLastTerminator(ReadOnlySpan<byte> argv) =>
        argv.Length > 0 && argv[^1] == 0 ? argv[..^1] : argv;
}
