using System.Buffers.Binary;
using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Records;

namespace Vigil.Tables;

/// <summary>
/// An exec's command line not joined yet: the bodies of its EXECVE records (of its PROCTITLE when it has none), each
/// after its type and length, joined by <see cref="ExecveArguments.CommandLineOrTitle"/> when first asked for.
/// </summary>
internal static class PendingCommandLine
{
    private const int HeaderBytes = 2 * sizeof(int);

    /// <summary>The records of <paramref name="auditEvent"/> its command line is made of, copied.</summary>
    public static byte[] Keep(AuditEvent auditEvent)
    {
        // The title only stands in for arguments an exec has no EXECVE record of.
        var keptType = auditEvent.TryGetRecord(RecordType.Execve, out _) ? RecordType.Execve : RecordType.Proctitle;
        var length = 0;
        for (var i = 0; i < auditEvent.RecordCount; i++)
        {
            if (auditEvent.GetRecordType(i) == keptType)
            {
                length += HeaderBytes + auditEvent.GetBody(i).Length;
            }
        }

        var records = new byte[length];
        var at = 0;
        for (var i = 0; i < auditEvent.RecordCount; i++)
        {
            if (auditEvent.GetRecordType(i) == keptType)
            {
                var body = auditEvent.GetBody(i);
                BinaryPrimitives.WriteInt32LittleEndian(records.AsSpan(at), keptType);
                BinaryPrimitives.WriteInt32LittleEndian(records.AsSpan(at + sizeof(int)), body.Length);
                body.CopyTo(records.AsSpan(at + HeaderBytes));
                at += HeaderBytes + body.Length;
            }
        }

        return records;
    }

    /// <summary>The command line <paramref name="kept"/> holds, its records put back into <paramref name="scratch"/> to be joined.</summary>
    public static string Join(byte[] kept, AuditEvent scratch)
    {
        // An exec with neither record has no command line to join.
        if (kept.Length == 0)
        {
            return string.Empty;
        }

        for (var at = 0; at < kept.Length;)
        {
            var record = new AuditRecord
            {
                Type = BinaryPrimitives.ReadInt32LittleEndian(kept.AsSpan(at)),
                Body = kept.AsSpan(at + HeaderBytes, BinaryPrimitives.ReadInt32LittleEndian(kept.AsSpan(at + sizeof(int)))),
            };
            if (at == 0)
            {
                scratch.Reset(record);
            }
            else
            {
                scratch.Append(record);
            }

            at += HeaderBytes + record.Body.Length;
        }

        return ExecveArguments.CommandLineOrTitle(scratch);
    }
}
