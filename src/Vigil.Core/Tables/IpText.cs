using System.Buffers.Binary;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// Addresses as osquery prints them: getnameinfo(3) with NI_NUMERICHOST, which for IPv6 is inet_ntop's short form and
/// names the interface of a scoped (link-local) address after a '%'.
/// </summary>
internal static unsafe class IpText
{
    /// <summary>sizeof(struct sockaddr_in).</summary>
    private const int SockaddrIn = 16;

    /// <summary>sizeof(struct sockaddr_in6).</summary>
    private const int SockaddrIn6 = 28;

    /// <summary>A struct sockaddr of family AF_INET or AF_INET6 as text; '' for any other family.</summary>
    public static string Of(byte* sockaddr)
    {
        var family = *(ushort*)sockaddr;
        var length = family == Libc.AF_INET ? SockaddrIn : family == Libc.AF_INET6 ? SockaddrIn6 : 0;
        if (length == 0)
        {
            return string.Empty;
        }

        var host = stackalloc byte[Libc.NI_MAXHOST];
        return Libc.getnameinfo(sockaddr, (uint)length, host, Libc.NI_MAXHOST, null, 0, Libc.NI_NUMERICHOST) == 0
            ? HostFacts.CString(new ReadOnlySpan<byte>(host, Libc.NI_MAXHOST)).Trim()
            : string.Empty;
    }

    /// <summary>An address given as its 4 (IPv4) or 16 (IPv6) bytes in network order, as inet_ntop prints it; '' for any other length.</summary>
    public static string Of(ReadOnlySpan<byte> address)
    {
        Span<byte> sockaddr = stackalloc byte[SockaddrIn6];
        sockaddr.Clear();
        switch (address.Length)
        {
            case 4:
                BinaryPrimitives.WriteUInt16LittleEndian(sockaddr, Libc.AF_INET);
                address.CopyTo(sockaddr[4..]);
                break;
            case 16:
                BinaryPrimitives.WriteUInt16LittleEndian(sockaddr, Libc.AF_INET6);
                address.CopyTo(sockaddr[8..]);
                break;
            default:
                return string.Empty;
        }

        fixed (byte* bytes = sockaddr)
        {
            return Of(bytes);
        }
    }
}
