using Vigil.KernelAbi;
using Vigil.Records;

namespace Vigil.Events;

/// <summary>
/// The records of one serial, in arrival order. The event owns a copy of each record's body in one
/// growable buffer, so building it costs no allocation once the buffers have grown to the working size;
/// the reassembler recycles instances.
/// </summary>
public sealed class AuditEvent
{
    private byte[] _buffer = new byte[4096];
    private int _used;
    private RecordEntry[] _records = new RecordEntry[8];

    // The types 1300-1363 (the kernel's syscall records) the event holds, one bit each: a table asking for a record the
    // event lacks (a SOCKADDR of an exec) is answered without walking the records.
    private ulong _syscallRecordTypes;

    // The SYSCALL record's arch and number, read at the first question: the router and every table ask for them.
    private SyscallState _syscall;
    private uint _arch;
    private int _number;

    private enum SyscallState : byte
    {
        NotRead,
        Absent,
        Present,
    }

    public uint Serial { get; private set; }

    public long Seconds { get; private set; }

    public int Milliseconds { get; private set; }

    public int RecordCount { get; private set; }

    /// <summary>The node name the records carried (log files from aggregated hosts), empty when absent.</summary>
    public ReadOnlySpan<byte> Node => _buffer.AsSpan(_nodeStart, _nodeLength);

    private int _nodeStart;
    private int _nodeLength;

    /// <summary>Time of the event in milliseconds since the epoch.</summary>
    public long TimeMilliseconds => (Seconds * 1000) + Milliseconds;

    /// <summary>The type of the event's first record (SYSCALL for a kernel syscall event).</summary>
    public int FirstType => RecordCount == 0 ? 0 : _records[0].Type;

    public int GetRecordType(int index) => _records[index].Type;

    public ReadOnlySpan<byte> GetBody(int index)
    {
        ref readonly var entry = ref _records[index];
        return _buffer.AsSpan(entry.Start, entry.Length);
    }

    /// <summary>The body of the first record of <paramref name="type"/>.</summary>
    public bool TryGetRecord(int type, out ReadOnlySpan<byte> body)
    {
        var bit = SyscallRecordBit(type);
        if (bit != 0 && (_syscallRecordTypes & bit) == 0)
        {
            body = default;
            return false;
        }

        for (var i = 0; i < RecordCount; i++)
        {
            if (_records[i].Type == type)
            {
                body = GetBody(i);
                return true;
            }
        }

        body = default;
        return false;
    }

    /// <summary>
    /// The arch and syscall number of the event's SYSCALL record; false without one, or when either is unreadable.
    /// </summary>
    public bool TryGetSyscall(out uint arch, out int number)
    {
        if (_syscall == SyscallState.NotRead)
        {
            _syscall = SyscallState.Absent;
            if (TryGetRecord(RecordType.Syscall, out var body) && SyscallFields.TryReadSyscall(body, out var archValue, out var numberValue))
            {
                _syscall = SyscallState.Present;
                (_arch, _number) = ((uint)archValue, (int)numberValue);
            }
        }

        arch = _arch;
        number = _number;
        return _syscall == SyscallState.Present;
    }

    /// <summary>The name of the event's syscall; null without a SYSCALL record or for a syscall Vigil cannot name.</summary>
    public string? SyscallName => TryGetSyscall(out var arch, out var number) ? SyscallTable.GetName(arch, number) : null;

    /// <summary>Starts the event from its first record.</summary>
    public void Reset(in AuditRecord first)
    {
        Serial = first.Serial;
        Seconds = first.Seconds;
        Milliseconds = first.Milliseconds;
        RecordCount = 0;
        _syscallRecordTypes = 0;
        _syscall = SyscallState.NotRead;
        _used = 0;
        _nodeStart = 0;
        _nodeLength = first.Node.Length;
        Copy(first.Node);
        Append(first);
    }

    /// <summary>Appends a record with the same serial; its body is copied.</summary>
    public void Append(in AuditRecord record)
    {
        if (RecordCount == _records.Length)
        {
            Array.Resize(ref _records, _records.Length * 2);
        }

        var start = Copy(record.Body);
        _records[RecordCount++] = new RecordEntry(record.Type, start, record.Body.Length);
        _syscallRecordTypes |= SyscallRecordBit(record.Type);
        if (record.Type == RecordType.Syscall)
        {
            _syscall = SyscallState.NotRead;
        }
    }

    /// <summary>Bytes held by this event, for the reassembler's memory accounting.</summary>
    public int ByteCount => _used;

    private static ulong SyscallRecordBit(int type) =>
        (uint)(type - RecordType.Syscall) < 64 ? 1UL << (type - RecordType.Syscall) : 0;

    private int Copy(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + bytes.Length));
        }

        var start = _used;
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
        return start;
    }

    private readonly record struct RecordEntry(int Type, int Start, int Length);
}
