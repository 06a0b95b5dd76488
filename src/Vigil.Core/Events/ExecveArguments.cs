using System.Buffers.Text;
using System.Buffers;
using System.Text;
using Vigil.KernelAbi;
using Vigil.Records;

namespace Vigil.Events;

/// <summary>Rebuilds a command line from an event's EXECVE records.</summary>
public static class ExecveArguments
{
    /// <summary>
    /// An exec's command line (<see cref="JoinCommandLine"/>); when its EXECVE records were lost (a dropped multicast
    /// datagram, an event evicted early), the first 128 bytes of it that its PROCTITLE still has.
    /// </summary>
    public static string CommandLineOrTitle(AuditEvent auditEvent)
    {
        var cmdline = JoinCommandLine(auditEvent);
        if (cmdline.Length == 0 && !auditEvent.TryGetRecord(RecordType.Execve, out _)
            && auditEvent.TryGetRecord(RecordType.Proctitle, out var body) && AuditFields.TryGet(body, "proctitle"u8, out var value))
        {
            return AuditValue.DecodeProcessTitle(value);
        }

        return cmdline;
    }

    /// <summary>
    /// The arguments in their real order (a0, a1, … a10), split arguments (<c>aN_len</c>, <c>aN[k]</c>)
    /// and EXECVE records spread over several records joined, each value decoded, joined with single spaces.
    /// </summary>
    public static string JoinCommandLine(AuditEvent auditEvent)
    {
        var pieces = ArrayPool<Piece>.Shared.Rent(16);
        var count = 0;
        var encodedBytes = 0;
        try
        {
            for (var record = 0; record < auditEvent.RecordCount; record++)
            {
                if (auditEvent.GetRecordType(record) != RecordType.Execve)
                {
                    continue;
                }

                var reader = new FieldReader(auditEvent.GetBody(record));
                while (reader.TryReadNext())
                {
                    if (!TryParseArgumentKey(reader.Key, out var argument, out var piece))
                    {
                        continue;
                    }

                    if (count == pieces.Length)
                    {
                        Grow(ref pieces);
                    }

                    pieces[count++] = new Piece(argument, piece, record, reader.ValueOffset, reader.RawValue.Length);
                    encodedBytes += reader.RawValue.Length + 1;
                }
            }

            if (count == 0)
            {
                return string.Empty;
            }

            // The kernel writes arguments in order; sorting only guards against records that arrived out of order.
            if (!IsSorted(pieces.AsSpan(0, count)))
            {
                pieces.AsSpan(0, count).Sort(static (a, b) =>
                    a.Argument != b.Argument ? a.Argument.CompareTo(b.Argument) : a.Index.CompareTo(b.Index));
            }

            return Join(auditEvent, pieces.AsSpan(0, count), encodedBytes);
        }
        finally
        {
            ArrayPool<Piece>.Shared.Return(pieces);
        }
    }

    private static string Join(AuditEvent auditEvent, ReadOnlySpan<Piece> pieces, int capacity)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            var used = 0;
            for (var i = 0; i < pieces.Length; i++)
            {
                ref readonly var piece = ref pieces[i];
                if (i > 0 && pieces[i - 1].Argument != piece.Argument)
                {
                    buffer[used++] = (byte)' ';
                }
                else if (i > 0 && pieces[i - 1].Index == piece.Index)
                {
                    // The same piece twice (a duplicated record): keep the first.
                    continue;
                }

                var raw = auditEvent.GetBody(piece.Record).Slice(piece.Start, piece.Length);
                AuditValue.TryDecodeBytes(raw, buffer.AsSpan(used), out var written);
                used += written;
            }

            return Encoding.UTF8.GetString(buffer, 0, used);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// <c>aN</c> gives (N, -1), <c>aN[k]</c> gives (N, k); <c>argc</c> and <c>aN_len</c> are not pieces.
    /// </summary>
    private static bool TryParseArgumentKey(ReadOnlySpan<byte> key, out int argument, out int piece)
    {
        argument = 0;
        piece = -1;
        if (key.Length < 2 || key[0] != (byte)'a' || !Utf8Parser.TryParse(key[1..], out argument, out var consumed)
            || key[1] == (byte)'-' || key[1] == (byte)'+')
        {
            return false;
        }

        var rest = key[(1 + consumed)..];
        if (rest.IsEmpty)
        {
            return true;
        }

        return rest.Length > 2 && rest[0] == (byte)'[' && rest[^1] == (byte)']'
            && Utf8Parser.TryParse(rest[1..^1], out piece, out var pieceConsumed)
            && pieceConsumed == rest.Length - 2 && piece >= 0;
    }

    private static bool IsSorted(ReadOnlySpan<Piece> pieces)
    {
        for (var i = 1; i < pieces.Length; i++)
        {
            var previous = pieces[i - 1];
            if (previous.Argument > pieces[i].Argument
                || (previous.Argument == pieces[i].Argument && previous.Index > pieces[i].Index))
            {
                return false;
            }
        }

        return true;
    }

    private static void Grow(ref Piece[] pieces)
    {
        var larger = ArrayPool<Piece>.Shared.Rent(pieces.Length * 2);
        pieces.CopyTo(larger, 0);
        ArrayPool<Piece>.Shared.Return(pieces);
        pieces = larger;
    }

    private readonly record struct Piece(int Argument, int Index, int Record, int Start, int Length);
}
