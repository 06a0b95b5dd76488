using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Vigil.Tests.Bsm;

/// <summary>
/// Writes BSM trails token by token in the layouts of audit.log(5) as OpenBSM's libbsm writes them (big-endian), so
/// tests and the benchmark's generator can make the records real trails rarely hold: 64-bit tokens, IPv6, unknown
/// tokens, damage.
/// </summary>
internal sealed class BsmTrailWriter
{
    private readonly MemoryStream _trail = new();

    /// <summary>The trail written so far.</summary>
    public byte[] ToArray() => _trail.ToArray();

    /// <summary>A file token, as auditd writes at a trail's start and end.</summary>
    public BsmTrailWriter File(uint seconds, string name)
    {
        var tokens = new BsmTokens();
        tokens.Byte(0x11).UInt32(seconds).UInt32(0).CountedText(name);
        _trail.Write(tokens.ToArray());
        return this;
    }

    /// <summary>
    /// A record of <paramref name="eventType"/> at <paramref name="seconds"/>: a header (32 or 64-bit, expanded with
    /// <paramref name="machine"/>), the tokens <paramref name="body"/> writes, a trailer.
    /// </summary>
    public BsmTrailWriter Record(int eventType, long seconds, Action<BsmTokens> body, int milliseconds = 0, bool wide = false, IPAddress? machine = null)
    {
        _trail.Write(RecordBytes(eventType, seconds, body, milliseconds, wide, machine));
        return this;
    }

    /// <summary>Bytes as they are, for damage between records.</summary>
    public BsmTrailWriter Raw(params byte[] bytes)
    {
        _trail.Write(bytes);
        return this;
    }

    /// <summary>One record's bytes, header to trailer.</summary>
    public static byte[] RecordBytes(int eventType, long seconds, Action<BsmTokens> body, int milliseconds = 0, bool wide = false, IPAddress? machine = null)
    {
        var tokens = new BsmTokens();
        body(tokens);
        var content = tokens.ToArray();
        var header = new BsmTokens();
        var id = (wide, machine is not null) switch
        {
            (false, false) => 0x14,
            (false, true) => 0x15,
            (true, false) => 0x74,
            (true, true) => 0x79,
        };
        var address = machine?.GetAddressBytes() ?? [];
        var headerLength = 1 + 4 + 1 + 2 + 2 + (machine is null ? 0 : 4 + address.Length) + (wide ? 16 : 8);
        var total = headerLength + content.Length + 7;
        header.Byte((byte)id).UInt32((uint)total).Byte(11).UInt16((ushort)eventType).UInt16(0);
        if (machine is not null)
        {
            header.UInt32((uint)address.Length).Bytes(address);
        }

        if (wide)
        {
            header.UInt64((ulong)seconds).UInt64((ulong)milliseconds);
        }
        else
        {
            header.UInt32((uint)seconds).UInt32((uint)milliseconds);
        }

        header.Bytes(content).Byte(0x13).UInt16(0xb105).UInt32((uint)total);
        return header.ToArray();
    }
}

/// <summary>The tokens of one record.</summary>
internal sealed class BsmTokens
{
    private readonly MemoryStream _bytes = new();

    public byte[] ToArray() => _bytes.ToArray();

    public BsmTokens Subject32(uint auid, uint euid, uint egid, uint ruid, uint rgid, uint pid, uint sid = 0) =>
        Byte(0x24).Ids(auid, euid, egid, ruid, rgid, pid, sid).UInt32(0).UInt32(0);

    public BsmTokens Subject64(uint auid, uint euid, uint egid, uint ruid, uint rgid, uint pid, uint sid = 0) =>
        Byte(0x75).Ids(auid, euid, egid, ruid, rgid, pid, sid).UInt64(0).UInt32(0);

    /// <summary>An expanded subject (32-bit port, or 64-bit when <paramref name="wide"/>) with its terminal's address.</summary>
    public BsmTokens SubjectEx(uint auid, uint euid, uint egid, uint ruid, uint rgid, uint pid, IPAddress terminal, bool wide = false)
    {
        var address = terminal.GetAddressBytes();
        Byte(wide ? (byte)0x7c : (byte)0x7a).Ids(auid, euid, egid, ruid, rgid, pid, 0);
        if (wide)
        {
            UInt64(0);
        }
        else
        {
            UInt32(0);
        }

        return UInt32((uint)address.Length).Bytes(address);
    }

    public BsmTokens Process32(uint auid, uint euid, uint egid, uint ruid, uint rgid, uint pid) =>
        Byte(0x26).Ids(auid, euid, egid, ruid, rgid, pid, 0).UInt32(0).UInt32(0);

    public BsmTokens Return32(byte error, int value) => Byte(0x27).Byte(error).UInt32((uint)value);

    public BsmTokens Return64(byte error, long value) => Byte(0x72).Byte(error).UInt64((ulong)value);

    public BsmTokens ExecArgs(params string[] args) => Byte(0x3c).Strings(args);

    public BsmTokens ExecEnv(params string[] env) => Byte(0x3d).Strings(env);

    public BsmTokens Path(string path) => Byte(0x23).CountedText(path);

    public BsmTokens Attr32(uint mode, uint uid, uint gid) => Byte(0x3e).UInt32(mode).UInt32(uid).UInt32(gid).UInt32(0).UInt64(0).UInt32(0);

    public BsmTokens Attr64(uint mode, uint uid, uint gid) => Byte(0x73).UInt32(mode).UInt32(uid).UInt32(gid).UInt32(0).UInt64(0).UInt64(0);

    public BsmTokens Arg32(byte number, uint value, string text) => Byte(0x2d).Byte(number).UInt32(value).CountedText(text);

    public BsmTokens Arg64(byte number, ulong value, string text) => Byte(0x71).Byte(number).UInt64(value).CountedText(text);

    /// <summary>A socket inet32 or inet128 token, by the address's family, with BSM's domain number in its family field.</summary>
    public BsmTokens SockInet(IPAddress address, ushort port)
    {
        var bytes = address.GetAddressBytes();
        return Byte(bytes.Length == 4 ? (byte)0x80 : (byte)0x81).UInt16(bytes.Length == 4 ? (ushort)2 : (ushort)26).UInt16(port).Bytes(bytes);
    }

    public BsmTokens SockUnix(string path) => Byte(0x82).UInt16(1).Bytes(Encoding.UTF8.GetBytes(path + "\0"));

    /// <summary>An expanded socket token: both ends, of the family of <paramref name="local"/>.</summary>
    public BsmTokens SocketEx(IPAddress local, ushort localPort, IPAddress remote, ushort remotePort)
    {
        var localBytes = local.GetAddressBytes();
        return Byte(0x7f).UInt16(localBytes.Length == 4 ? (ushort)2 : (ushort)26).UInt16(1).UInt16((ushort)localBytes.Length)
            .UInt16(localPort).Bytes(localBytes).UInt16(remotePort).Bytes(remote.GetAddressBytes());
    }

    public BsmTokens Text(string text) => Byte(0x28).CountedText(text);

    public BsmTokens Zonename(string zone) => Byte(0x60).CountedText(zone);

    /// <summary>Apple's identity token: signer type, signing id and team (each with a truncation flag), cdhash.</summary>
    public BsmTokens Identity(string signingId, string teamId, byte[] cdhash) =>
        Byte(0xed).UInt32(1).CountedText(signingId).Byte(0).CountedText(teamId).Byte(0).UInt16((ushort)cdhash.Length).Bytes(cdhash);

    public BsmTokens Exit(int status, int value) => Byte(0x52).UInt32((uint)status).UInt32((uint)value);

    public BsmTokens InAddr(IPAddress address) =>
        address.GetAddressBytes() is { Length: 4 } v4 ? Byte(0x2a).Bytes(v4) : Byte(0x7e).UInt32(16).Bytes(address.GetAddressBytes());

    public BsmTokens IPort(ushort port) => Byte(0x2c).UInt16(port);

    public BsmTokens Byte(byte value)
    {
        _bytes.WriteByte(value);
        return this;
    }

    public BsmTokens UInt16(ushort value) => Bytes(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(value)));

    public BsmTokens UInt32(uint value) => Bytes(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(value)));

    public BsmTokens UInt64(ulong value) => Bytes(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(value)));

    public BsmTokens Bytes(byte[] bytes)
    {
        _bytes.Write(bytes);
        return this;
    }

    /// <summary>A 2-byte length counting the NUL, the text, the NUL.</summary>
    public BsmTokens CountedText(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        return UInt16((ushort)bytes.Length).Bytes(bytes);
    }

    private BsmTokens Strings(string[] strings)
    {
        UInt32((uint)strings.Length);
        foreach (var text in strings)
        {
            Bytes(Encoding.UTF8.GetBytes(text + "\0"));
        }

        return this;
    }

    private BsmTokens Ids(params uint[] ids)
    {
        foreach (var id in ids)
        {
            UInt32(id);
        }

        return this;
    }
}
