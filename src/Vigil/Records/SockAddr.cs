namespace Vigil.Records;

/// <summary>A decoded SOCKADDR <c>saddr=</c> hex value.</summary>
public readonly record struct SockAddr(int Family, int Port, string Address, string Path)
{
    public const int AfUnix = 1;
    public const int AfInet = 2;
    public const int AfInet6 = 10;
    public const int AfNetlink = 16;

    /// <summary>
    /// AF_INET and AF_INET6 give Address (IPv6 in canonical short form) and Port; AF_UNIX gives Path
    /// (an abstract name starts with '@'); other families give only Family.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> hex, out SockAddr address) => throw new NotImplementedException();
}
