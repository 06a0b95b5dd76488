using System.Buffers.Binary;
using Vigil.Bsm;
using Vigil.KernelAbi;
using Vigil.Records;

namespace Vigil.Sources;

/// <summary>
/// Reads a BSM audit trail (OpenBSM: macOS, FreeBSD) one buffer at a time and hands each whole record to a sink as
/// a record of type <see cref="RecordType.Bsm"/> whose body is the record's bytes; file tokens between records are
/// stepped over. A record that does not read whole (a header whose count runs past the trail or past
/// <see cref="BsmRecord.MaxLength"/>, a trailer that does not match, a token that overruns) is counted once as
/// malformed and the reader moves on byte by byte to the next place a whole record starts. Memory stays at one buffer.
/// </summary>
public sealed class BsmTrailReader(Stream stream, IRecordSink sink) : ChunkReader(stream, sink, BsmRecord.MaxLength + ReadSize)
{
    private const int ReadSize = 64 * 1024;

    /// <summary>A file token's fixed part: id, seconds, milliseconds, name length.</summary>
    private const int FileTokenFixedLength = 1 + 4 + 4 + 2;

    /// <summary>Past a malformed record, looking for the next whole one; the bytes passed over count once.</summary>
    private bool _resyncing;

    /// <summary>The bytes <see cref="IsTrail"/> looks at: a file token's fixed part, longer than a header's start.</summary>
    public const int SignatureLength = FileTokenFixedLength;

    /// <summary>A record header's id, byte count and version.</summary>
    private const int HeaderSignatureLength = 6;

    /// <summary>MAXPATHLEN: the longest name a file token gives.</summary>
    private const int MaxFileNameLength = 1024;

    /// <summary>
    /// Whether a stream starting with <paramref name="start"/> is a BSM trail: a file token (its milliseconds below a
    /// second, OpenBSM writes tv_usec / 1000, and a name of a path's length), or a header whose byte count is a
    /// record's and whose version is one OpenBSM knows (1–4, 10, 11). The fields matter: an auditd log's <c>type=</c>
    /// starts with 't', AUT_HEADER64, and its next four bytes make a count of about 2 GB; a stray byte 0x11 before a
    /// log's first line is not a file token.
    /// </summary>
    public static bool IsTrail(ReadOnlySpan<byte> start) =>
        start is [BsmTokenId.OtherFile32, ..]
            ? start.Length >= FileTokenFixedLength
                && BinaryPrimitives.ReadUInt32BigEndian(start[5..]) < 1000
                && BinaryPrimitives.ReadUInt16BigEndian(start[9..]) is >= 1 and <= MaxFileNameLength
            : start.Length >= HeaderSignatureLength
                && BsmRecord.DeclaredLength(start) is >= BsmRecord.MinLength and <= BsmRecord.MaxLength
                && start[5] is >= 1 and <= 4 or 10 or 11;

    /// <inheritdoc/>
    protected override int Consume(ReadOnlySpan<byte> data, bool atEnd)
    {
        var position = 0;
        while (position < data.Length)
        {
            var rest = data[position..];
            var length = WholeLength(rest, atEnd);
            if (length == 0)
            {
                break;
            }

            if (length > 0 && rest[0] == BsmTokenId.OtherFile32)
            {
                _resyncing = false;
                position += length;
                continue;
            }

            if (length > 0 && BsmRecord.TryRead(rest[..length], out var record))
            {
                _resyncing = false;
                Count++;
                Sink.OnRecord(new AuditRecord
                {
                    Type = RecordType.Bsm,
                    Seconds = record.Seconds,
                    Milliseconds = record.Milliseconds,
                    Body = record.Bytes,
                });
                position += length;
                continue;
            }

            if (!_resyncing)
            {
                _resyncing = true;
                Count++;
                Sink.OnMalformed(rest[..Math.Min(rest.Length, BsmRecord.MaxLength)]);
            }

            position++;
        }

        return position;
    }

    /// <summary>
    /// The declared length of the record or file token at the start of <paramref name="bytes"/> when all of it is
    /// there; 0 when more bytes are needed to tell; -1 when none can start there.
    /// </summary>
    private static int WholeLength(ReadOnlySpan<byte> bytes, bool atEnd)
    {
        long length;
        if (bytes[0] == BsmTokenId.OtherFile32)
        {
            length = bytes.Length < FileTokenFixedLength ? -2 : FileTokenFixedLength + ((bytes[9] << 8) | bytes[10]);
        }
        else if (BsmTokenId.IsHeader(bytes[0]))
        {
            length = BsmRecord.DeclaredLength(bytes);
            if (length is >= 0 and (< BsmRecord.MinLength or > BsmRecord.MaxLength))
            {
                return -1;
            }

            length = length < 0 ? -2 : length;
        }
        else
        {
            return -1;
        }

        if (length == -2 || length > bytes.Length)
        {
            return atEnd ? -1 : 0;
        }

        return (int)length;
    }
}
