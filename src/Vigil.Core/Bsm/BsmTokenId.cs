namespace Vigil.Bsm;

/// <summary>
/// Token ids of the BSM trail format, with OpenBSM's names (sys/bsm/audit_record.h, <c>AUT_*</c>); 0xed is Apple's
/// identity token (macOS libbsm, <c>au_to_identity</c>). Only the tokens Vigil reads or steps over are named.
/// </summary>
public static class BsmTokenId
{
    public const byte OtherFile32 = 0x11;
    public const byte Trailer = 0x13;
    public const byte Header32 = 0x14;
    public const byte Header32Ex = 0x15;
    public const byte Data = 0x21;
    public const byte Ipc = 0x22;
    public const byte Path = 0x23;
    public const byte Subject32 = 0x24;
    public const byte Process32 = 0x26;
    public const byte Return32 = 0x27;
    public const byte Text = 0x28;
    public const byte Opaque = 0x29;
    public const byte InAddr = 0x2a;
    public const byte Ip = 0x2b;
    public const byte IPort = 0x2c;
    public const byte Arg32 = 0x2d;
    public const byte Socket = 0x2e;
    public const byte Seq = 0x2f;
    public const byte Attr = 0x31;
    public const byte IpcPerm = 0x32;
    public const byte NewGroups = 0x3b;
    public const byte ExecArgs = 0x3c;
    public const byte ExecEnv = 0x3d;
    public const byte Attr32 = 0x3e;
    public const byte Exit = 0x52;
    public const byte Zonename = 0x60;
    public const byte Arg64 = 0x71;
    public const byte Return64 = 0x72;
    public const byte Attr64 = 0x73;
    public const byte Header64 = 0x74;
    public const byte Subject64 = 0x75;
    public const byte Process64 = 0x77;
    public const byte Header64Ex = 0x79;
    public const byte Subject32Ex = 0x7a;
    public const byte Process32Ex = 0x7b;
    public const byte Subject64Ex = 0x7c;
    public const byte Process64Ex = 0x7d;
    public const byte InAddrEx = 0x7e;
    public const byte SocketEx = 0x7f;
    public const byte SockInet32 = 0x80;
    public const byte SockInet128 = 0x81;
    public const byte SockUnix = 0x82;
    public const byte ArgUuid = 0x84;
    public const byte ReturnUuid = 0x85;
    public const byte Identity = 0xed;

    /// <summary>AUT_TRAILER_MAGIC: the trailer's check that a record was read whole.</summary>
    public const ushort TrailerMagic = 0xb105;

    /// <summary>AU_IPv4 and AU_IPv6: an address's type, which is its length in bytes.</summary>
    public const int AddressIPv4 = 4;
    public const int AddressIPv6 = 16;

    /// <summary>Whether <paramref name="id"/> is a header token, which starts a record.</summary>
    public static bool IsHeader(byte id) => id is Header32 or Header32Ex or Header64 or Header64Ex;
}
