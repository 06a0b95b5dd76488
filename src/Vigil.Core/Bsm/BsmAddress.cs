namespace Vigil.Bsm;

/// <summary>
/// A socket address from a socket token, in Linux's family numbers (what socket_events shows): the token's kind
/// says the family, since the family field holds BSM's domain numbers (BSM_PF_INET6 is 26, AF_INET6 10 on Linux).
/// </summary>
public readonly ref struct BsmAddress(int family, int port, ReadOnlySpan<byte> address, ReadOnlySpan<byte> path)
{
    public const int AfUnix = 1;
    public const int AfInet = 2;
    public const int AfInet6 = 10;

    /// <summary>BSM_PF_INET and BSM_PF_INET6 (sys/bsm/audit_domain.h): the domains of an expanded socket token read.</summary>
    public const int BsmPfInet = 2;
    public const int BsmPfInet6 = 26;

    /// <summary>0 when no token gave an address.</summary>
    public int Family { get; } = family;

    public int Port { get; } = port;

    /// <summary>4 or 16 bytes in network order.</summary>
    public ReadOnlySpan<byte> Address { get; } = address;

    /// <summary>A unix socket's path, without its NUL.</summary>
    public ReadOnlySpan<byte> Path { get; } = path;
}
