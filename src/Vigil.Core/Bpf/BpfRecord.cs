using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vigil.Bpf;

/// <summary>The kinds of record (enum vigil_kind in Programs/vigil.bpf.h).</summary>
public enum BpfEventKind : ushort
{
    Execve = 1,
    Execveat = 2,
    Exit = 3,
    Connect = 4,
    Bind = 5,
    Listen = 6,
    Accept = 7,
    Accept4 = 8,
    File = 9,
}

/// <summary>What a file record reports (enum vigil_file_op in Programs/vigil.bpf.h).</summary>
public enum BpfFileOp : ushort
{
    Open = 1,
    Read = 2,
    Write = 3,
    Ftruncate = 4,
    Close = 5,
    Truncate = 6,
    Link = 7,
    Symlink = 8,
    Rename = 9,
    Unlink = 10,
    Rmdir = 11,
    Mkdir = 12,
}

/// <summary>An open file's state as a file record carries it (VIGIL_FILE_* in Programs/vigil.bpf.h).</summary>
[Flags]
public enum BpfFileState : ushort
{
    None = 0,
    Writable = 1,
    Wrote = 2,
    ReadDone = 4,
    Partial = 8,
    Created = 16,
    Truncated = 32,
}

/// <summary>struct vigil_header (Programs/vigil.bpf.h): who, when, how long, with which result.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct BpfHeader
{
    /// <summary>VIGIL_FLAG_TRUNCATED: a path, the arguments or the address was cut at its bound.</summary>
    public const ushort FlagTruncated = 1;

    public readonly BpfEventKind Kind;
    public readonly ushort Flags;

    /// <summary>The audit login session (audit's ses), 4294967295 when unset.</summary>
    public readonly uint SessionId;

    /// <summary>CLOCK_BOOTTIME in nanoseconds when the syscall returned (or the process exited).</summary>
    public readonly ulong TimeNs;
    public readonly ulong DurationNs;

    /// <summary>The syscall's return value; for an exit, the wait(2) status.</summary>
    public readonly long Ret;
    public readonly uint Pid;
    public readonly uint Tid;
    public readonly uint Ppid;
    public readonly uint Auid;
    public readonly uint Uid;
    public readonly uint Euid;
    public readonly uint Suid;
    public readonly uint Fsuid;
    public readonly uint Gid;
    public readonly uint Egid;
    public readonly uint Sgid;
    public readonly uint Fsgid;
    public readonly ulong CgroupId;
    private readonly TtyBytes _tty;

    public bool Truncated => (Flags & FlagTruncated) != 0;

    /// <summary>The controlling terminal's name as audit writes it (pts0), empty for none.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Tty
    {
        get
        {
            ReadOnlySpan<byte> name = _tty;
            var end = name.IndexOf((byte)0);
            return end < 0 ? name : name[..end];
        }
    }

    /// <summary>vigil_header.tty: 16 bytes, NUL-terminated unless cut.</summary>
    [InlineArray(16)]
    private struct TtyBytes
    {
        private byte _first;
    }
}

/// <summary>struct vigil_exec: followed by the exe path, the cwd and the NUL-terminated arguments.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct BpfExec
{
    public readonly BpfHeader Header;
    public readonly uint Mode;
    public readonly uint OwnerUid;
    public readonly uint OwnerGid;
    public readonly ushort ExeLength;
    public readonly ushort CwdLength;
    public readonly uint ArgvLength;
    private readonly uint _reserved;
}

/// <summary>struct vigil_exit: followed by the exe path.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct BpfExit
{
    public readonly BpfHeader Header;
    public readonly ushort ExeLength;
    private readonly ushort _reserved0;
    private readonly uint _reserved1;
}

/// <summary>struct vigil_socket: followed by the exe path.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct BpfSocket
{
    public const int SockaddrCapacity = 128;

    public readonly BpfHeader Header;
    public readonly long Fd;
    public readonly ushort Family;
    public readonly ushort Type;
    public readonly ushort Protocol;
    public readonly ushort SockaddrLength;
    public readonly ushort LocalPort;
    public readonly ushort RemotePort;
    public readonly ushort ExeLength;
    private readonly ushort _reserved;
    public fixed byte LocalAddress[16];
    public fixed byte RemoteAddress[16];
    public fixed byte Sockaddr[SockaddrCapacity];
}

/// <summary>struct vigil_file: followed by the path, the destination, the exe path and the cwd.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct BpfFile
{
    public readonly BpfHeader Header;
    public readonly BpfFileOp Op;
    public readonly BpfFileState State;
    private readonly uint _reserved;
    public readonly ushort PathLength;
    public readonly ushort DestLength;
    public readonly ushort ExeLength;
    public readonly ushort CwdLength;

    /// <summary>The bytes after the fixed part: the four strings.</summary>
    public int TailLength => PathLength + DestLength + ExeLength + CwdLength;
}

/// <summary>
/// One ring-buffer record, read in place: the fixed part as its struct and the variable tail as spans, so reading a
/// record allocates nothing. Valid only while the ring buffer holds it (during the sink's call).
/// </summary>
public readonly ref struct BpfRecord
{
    private readonly ReadOnlySpan<byte> _bytes;

    private BpfRecord(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ref readonly BpfHeader Header => ref MemoryMarshal.AsRef<BpfHeader>(_bytes);

    public BpfEventKind Kind => Header.Kind;

    public bool IsExec => Kind is BpfEventKind.Execve or BpfEventKind.Execveat;

    public bool IsSocket => Kind is >= BpfEventKind.Connect and <= BpfEventKind.Accept4;

    public ref readonly BpfExec Exec => ref MemoryMarshal.AsRef<BpfExec>(_bytes);

    public ref readonly BpfExit Exit => ref MemoryMarshal.AsRef<BpfExit>(_bytes);

    public ref readonly BpfSocket Socket => ref MemoryMarshal.AsRef<BpfSocket>(_bytes);

    public ref readonly BpfFile File => ref MemoryMarshal.AsRef<BpfFile>(_bytes);

    /// <summary>A file record's path: absolute as spelled (a symlink's: its target as written).</summary>
    public ReadOnlySpan<byte> FilePath => _bytes.Slice(Unsafe.SizeOf<BpfFile>(), File.PathLength);

    /// <summary>A file record's destination: a rename's new path, a link's or a symlink's new name; else empty.</summary>
    public ReadOnlySpan<byte> FileDestination => _bytes.Slice(Unsafe.SizeOf<BpfFile>() + File.PathLength, File.DestLength);

    /// <summary>The process's executable path (empty when it could not be read).</summary>
    public ReadOnlySpan<byte> ExePath => Kind switch
    {
        BpfEventKind.Execve or BpfEventKind.Execveat => _bytes.Slice(Unsafe.SizeOf<BpfExec>(), Exec.ExeLength),
        BpfEventKind.Exit => _bytes.Slice(Unsafe.SizeOf<BpfExit>(), Exit.ExeLength),
        BpfEventKind.File => _bytes.Slice(Unsafe.SizeOf<BpfFile>() + File.PathLength + File.DestLength, File.ExeLength),
        _ => _bytes.Slice(Unsafe.SizeOf<BpfSocket>(), Socket.ExeLength),
    };

    /// <summary>An exec's or a file record's working directory.</summary>
    public ReadOnlySpan<byte> Cwd => Kind == BpfEventKind.File
        ? _bytes.Slice(Unsafe.SizeOf<BpfFile>() + File.PathLength + File.DestLength + File.ExeLength, File.CwdLength)
        : _bytes.Slice(Unsafe.SizeOf<BpfExec>() + Exec.ExeLength, Exec.CwdLength);

    /// <summary>An exec's arguments, each followed by a NUL (the last one possibly cut short when truncated).</summary>
    public ReadOnlySpan<byte> Argv => _bytes.Slice(Unsafe.SizeOf<BpfExec>() + Exec.ExeLength + Exec.CwdLength, (int)Exec.ArgvLength);

    /// <summary>A socket call's sockaddr as the caller passed it (accept: as the kernel wrote it back).</summary>
    public ReadOnlySpan<byte> Sockaddr =>
        _bytes.Slice(Unsafe.SizeOf<BpfSocket>() - BpfSocket.SockaddrCapacity, Math.Min((int)Socket.SockaddrLength, BpfSocket.SockaddrCapacity));

    /// <summary>The socket's local address bytes (4 for IPv4, 16 for IPv6).</summary>
    public ReadOnlySpan<byte> LocalAddress => _bytes.Slice(LocalAddressOffset, 16);

    /// <summary>The socket's remote address bytes (4 for IPv4, 16 for IPv6).</summary>
    public ReadOnlySpan<byte> RemoteAddress => _bytes.Slice(LocalAddressOffset + 16, 16);

    private static int LocalAddressOffset => Unsafe.SizeOf<BpfSocket>() - BpfSocket.SockaddrCapacity - 32;

    /// <summary>The record over <paramref name="bytes"/>, or false when it is shorter than its kind's fixed part says.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out BpfRecord record)
    {
        record = new BpfRecord(bytes);
        if (bytes.Length < Unsafe.SizeOf<BpfHeader>())
        {
            return false;
        }

        return record.Kind switch
        {
            BpfEventKind.Execve or BpfEventKind.Execveat => bytes.Length >= Unsafe.SizeOf<BpfExec>()
                && bytes.Length >= Unsafe.SizeOf<BpfExec>() + record.Exec.ExeLength + record.Exec.CwdLength + (long)record.Exec.ArgvLength,
            BpfEventKind.Exit => bytes.Length >= Unsafe.SizeOf<BpfExit>() && bytes.Length >= Unsafe.SizeOf<BpfExit>() + record.Exit.ExeLength,
            >= BpfEventKind.Connect and <= BpfEventKind.Accept4 => bytes.Length >= Unsafe.SizeOf<BpfSocket>()
                && bytes.Length >= Unsafe.SizeOf<BpfSocket>() + record.Socket.ExeLength,
            BpfEventKind.File => bytes.Length >= Unsafe.SizeOf<BpfFile>() && bytes.Length >= Unsafe.SizeOf<BpfFile>() + record.File.TailLength,
            _ => false,
        };
    }
}
