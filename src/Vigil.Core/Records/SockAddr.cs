using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Vigil.Records;

/// <summary>A decoded SOCKADDR <c>saddr=</c> hex value.</summary>
public readonly record struct SockAddr(int Family, int Port, string Address, string Path)
{
    public const int AfUnix = 1;
    public const int AfInet = 2;
    public const int AfInet6 = 10;
    public const int AfNetlink = 16;

    /// <summary>sizeof(struct sockaddr_storage): the kernel never logs more.</summary>
    private const int MaxLength = 128;

    /// <summary>
    /// AF_INET and AF_INET6 give Address (IPv6 in canonical short form) and Port; AF_UNIX gives Path
    /// (an abstract name starts with '@'); other families give only Family. <paramref name="bigEndian"/> is the byte
    /// order of the machine that made the call (<see cref="KernelAbi.SyscallTable.IsBigEndian"/> of the record's arch):
    /// sa_family is in its order.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> hex, bool bigEndian, out SockAddr address)
    {
        address = default;
        Span<byte> bytes = stackalloc byte[MaxLength];
        if (hex.Length < 4 || hex.Length > MaxLength * 2 || !AuditValue.TryDecodeHex(hex, bytes, out var length))
        {
            return false;
        }

        return TryRead(bytes[..length], bigEndian, out address);
    }

    /// <summary>The same as <see cref="TryParse"/>, from the sockaddr's bytes (as a BPF program copied them).</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, bool bigEndian, out SockAddr address)
    {
        address = default;
        var length = bytes.Length;
        if (length < 2)
        {
            return false;
        }

        // sa_family is in the calling machine's order (big-endian on ppc64 and s390x); sin_port and sin6_port are
        // network order everywhere.
        int family = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        switch (family)
        {
            case AfInet when length >= 8:
                address = new SockAddr(family, BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
                    new IPAddress(bytes[4..8]).ToString(), string.Empty);
                return true;
            case AfInet6 when length >= 24:
                // struct sockaddr_in6: family, port, flowinfo (4), address (16), scope id; the scope is left out.
                address = new SockAddr(family, BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
                    new IPAddress(bytes[8..24]).ToString(), string.Empty);
                return true;
            case AfInet or AfInet6:
                return false;
            case AfUnix:
                address = new SockAddr(family, 0, string.Empty, UnixPath(bytes[2..]));
                return true;
            default:
                address = new SockAddr(family, 0, string.Empty, string.Empty);
                return true;
        }
    }

    /// <summary>
    /// sun_path up to its NUL; an abstract name (first byte NUL) shown as <c>@name</c> with trailing NULs dropped
    /// and inner NULs shown as '@', as ss does; an unnamed socket gives "".
    /// </summary>
    private static string UnixPath(ReadOnlySpan<byte> path)
    {
        if (path.IsEmpty)
        {
            return string.Empty;
        }

        if (path[0] != 0)
        {
            var end = path.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? path : path[..end]);
        }

        var name = path[1..].TrimEnd((byte)0);
        Span<byte> shown = stackalloc byte[MaxLength];
        shown[0] = (byte)'@';
        name.CopyTo(shown[1..]);
        shown.Slice(1, name.Length).Replace((byte)0, (byte)'@');
        return Encoding.UTF8.GetString(shown[..(name.Length + 1)]);
    }
}
