using System.Buffers.Binary;

namespace Vigil.Bsm;

/// <summary>
/// One BSM record, header to trailer, read token by token into views over its bytes (nothing is copied). The layouts
/// are audit.log(5)'s, corrected where OpenBSM's own reader (libbsm/bsm_io.c) differs: attribute modes and
/// expanded address types are 4 bytes. Of repeated tokens the reader keeps the first subject and return and the last
/// path and attribute (the executable, for an exec: osquery takes the last); integers are big-endian.
/// </summary>
public ref struct BsmRecord
{
    /// <summary>
    /// The longest record read: the 64 KiB a log line may have. Kernels write at most MAX_AUDIT_RECORD_SIZE,
    /// 32,767 bytes (sys/bsm/audit.h), so a longer one is damage.
    /// </summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>A 32-bit header and a trailer, with nothing between.</summary>
    public const int MinLength = HeaderFixedLength + 8 + TrailerLength;

    /// <summary>Token id, byte count, version, event type and modifier: the header fields before the time.</summary>
    private const int HeaderFixedLength = 1 + 4 + 1 + 2 + 2;

    private const int TrailerLength = 1 + 2 + 4;

    /// <summary>sizeof(au_socketunix_t.path) in OpenBSM: a unix socket token's path is NUL-terminated within it.</summary>
    private const int UnixPathMax = 104;

    /// <summary>The whole record, header to trailer.</summary>
    public ReadOnlySpan<byte> Bytes { get; private set; }

    /// <summary>The header's event type (audit_event(5) number).</summary>
    public int EventType { get; private set; }

    /// <summary>Seconds since the epoch, from the header.</summary>
    public long Seconds { get; private set; }

    public int Milliseconds { get; private set; }

    /// <summary>The first subject token (32/64-bit, expanded or not): who did it.</summary>
    public BsmSubject Subject { get; private set; }

    /// <summary>The first process token: the process acted on (a signal's target).</summary>
    public BsmSubject Process { get; private set; }

    /// <summary>The first return token's BSM error number (0: success), null without one.</summary>
    public int? ReturnError { get; private set; }

    public long ReturnValue { get; private set; }

    /// <summary>The exec args token's strings, each NUL-terminated, and their count.</summary>
    public ReadOnlySpan<byte> ExecArgs { get; private set; }

    public int ExecArgCount { get; private set; }

    /// <summary>The exec env token's strings, each NUL-terminated, and their count.</summary>
    public ReadOnlySpan<byte> ExecEnv { get; private set; }

    public int ExecEnvCount { get; private set; }

    /// <summary>The last path token, without its NUL.</summary>
    public ReadOnlySpan<byte> Path { get; private set; }

    /// <summary>The last attribute token (32 or 64-bit): the file's mode and owner.</summary>
    public BsmAttributes Attributes { get; private set; }

    /// <summary>The values of the first arg tokens numbered 0 and 1 (a fork's child pid; a socket call's descriptor).</summary>
    public ulong? Arg0 { get; private set; }

    public ulong? Arg1 { get; private set; }

    /// <summary>The address of a socket inet32, inet128 or unix token: the sockaddr the call named.</summary>
    public BsmAddress Socket { get; private set; }

    /// <summary>The local and remote ends of an expanded socket token.</summary>
    public BsmAddress SocketLocal { get; private set; }

    public BsmAddress SocketRemote { get; private set; }

    /// <summary>The first text token, without its NUL.</summary>
    public ReadOnlySpan<byte> Text { get; private set; }

    /// <summary>The zonename token (a FreeBSD jail's name), without its NUL.</summary>
    public ReadOnlySpan<byte> Zonename { get; private set; }

    /// <summary>Apple's identity token: the code signing identifier and team of the executable.</summary>
    public ReadOnlySpan<byte> SigningId { get; private set; }

    public ReadOnlySpan<byte> TeamId { get; private set; }

    /// <summary>The exit token's status and return value, null without one.</summary>
    public int? ExitStatus { get; private set; }

    public int ExitReturn { get; private set; }

    /// <summary>The in_addr or in_addr_ex token's address: 4 or 16 bytes.</summary>
    public ReadOnlySpan<byte> InAddress { get; private set; }

    /// <summary>The iport token's port, null without one.</summary>
    public int? IPort { get; private set; }

    /// <summary>The first token whose layout is not known (0 when none): it and the tokens after it were stepped over.</summary>
    public byte UnknownToken { get; private set; }

    /// <summary>The tokens read, header and trailer included.</summary>
    public int TokenCount { get; private set; }

    /// <summary>
    /// The declared byte count of a record starting at <paramref name="bytes"/> (its header's), or -1 when the bytes
    /// do not start with a header or hold too few of them to tell.
    /// </summary>
    public static long DeclaredLength(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 5 && BsmTokenId.IsHeader(bytes[0]) ? BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]) : -1;

    /// <summary>The event type of a record <see cref="TryRead"/> accepted, read from its header alone.</summary>
    public static int EventTypeOf(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadUInt16BigEndian(record[6..]);

    /// <summary>
    /// Reads <paramref name="record"/>, which must be exactly one record: a header whose byte count is its length, tokens
    /// that end where the trailer starts, and a trailer with the magic and the same count. False when it is not; a
    /// token whose layout is not known ends the reading there (<see cref="UnknownToken"/>) without making it false.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> record, out BsmRecord parsed)
    {
        parsed = default;
        if (record.Length < MinLength || DeclaredLength(record) != record.Length)
        {
            return false;
        }

        var trailer = record[^TrailerLength..];
        if (trailer[0] != BsmTokenId.Trailer
            || BinaryPrimitives.ReadUInt16BigEndian(trailer[1..]) != BsmTokenId.TrailerMagic
            || BinaryPrimitives.ReadUInt32BigEndian(trailer[3..]) != (uint)record.Length)
        {
            return false;
        }

        var result = new BsmRecord { Bytes = record };
        var tokens = new BsmCursor(record[..^TrailerLength]);
        if (!result.TryReadHeader(ref tokens))
        {
            return false;
        }

        result.TokenCount = 2;
        while (!tokens.AtEnd)
        {
            var id = tokens.ReadByte();
            if (!result.TryReadToken(id, ref tokens))
            {
                if (tokens.Failed)
                {
                    return false;
                }

                result.UnknownToken = id;
                break;
            }

            result.TokenCount++;
        }

        parsed = result;
        return true;
    }

    /// <summary>Joins NUL-terminated strings (an exec args or env token's) with single spaces.</summary>
    public static string JoinStrings(ReadOnlySpan<byte> strings)
    {
        var text = strings.EndsWith((byte)0) ? strings[..^1] : strings;
        return System.Text.Encoding.UTF8.GetString(text).Replace('\0', ' ');
    }

    private bool TryReadHeader(ref BsmCursor tokens)
    {
        var id = tokens.ReadByte();
        tokens.Skip(4 + 1);
        EventType = tokens.ReadUInt16();
        tokens.Skip(2);
        if (id is BsmTokenId.Header32Ex or BsmTokenId.Header64Ex)
        {
            tokens.ReadAddress(tokens.ReadInt32());
        }

        var wide = id is BsmTokenId.Header64 or BsmTokenId.Header64Ex;
        var seconds = wide ? tokens.ReadUInt64() : tokens.ReadUInt32();
        var fraction = wide ? tokens.ReadUInt64() : tokens.ReadUInt32();
        Seconds = (long)Math.Min(seconds, long.MaxValue);

        // OpenBSM writes milliseconds here (tv_usec / 1000) though audit.log(5) says nanoseconds; a value past 999 is
        // taken as nanoseconds.
        Milliseconds = (int)(fraction < 1000 ? fraction : fraction / 1_000_000 % 1000);
        return !tokens.Failed;
    }

    /// <summary>Reads one token after its id; false when its layout is unknown, or when it runs past the record (the cursor then failed).</summary>
    private bool TryReadToken(byte id, ref BsmCursor tokens)
    {
        switch (id)
        {
            case BsmTokenId.Subject32 or BsmTokenId.Subject64 or BsmTokenId.Subject32Ex or BsmTokenId.Subject64Ex:
                var subject = BsmSubject.Read(id is BsmTokenId.Subject64 or BsmTokenId.Subject64Ex, id is BsmTokenId.Subject32Ex or BsmTokenId.Subject64Ex, ref tokens);
                Subject = Subject.Present ? Subject : subject;
                break;
            case BsmTokenId.Process32 or BsmTokenId.Process64 or BsmTokenId.Process32Ex or BsmTokenId.Process64Ex:
                var process = BsmSubject.Read(id is BsmTokenId.Process64 or BsmTokenId.Process64Ex, id is BsmTokenId.Process32Ex or BsmTokenId.Process64Ex, ref tokens);
                Process = Process.Present ? Process : process;
                break;
            case BsmTokenId.Return32 or BsmTokenId.Return64:
                var error = tokens.ReadByte();
                var value = id == BsmTokenId.Return32 ? tokens.ReadInt32() : (long)tokens.ReadUInt64();
                if (ReturnError is null)
                {
                    (ReturnError, ReturnValue) = (error, value);
                }

                break;
            case BsmTokenId.ExecArgs:
                ExecArgCount = tokens.ReadStrings(out var args);
                ExecArgs = args;
                break;
            case BsmTokenId.ExecEnv:
                ExecEnvCount = tokens.ReadStrings(out var env);
                ExecEnv = env;
                break;
            case BsmTokenId.Path:
                Path = tokens.ReadCountedText();
                break;
            case BsmTokenId.Attr or BsmTokenId.Attr32 or BsmTokenId.Attr64:
                Attributes = BsmAttributes.Read(id == BsmTokenId.Attr64, ref tokens);
                break;
            case BsmTokenId.Arg32 or BsmTokenId.Arg64:
                var number = tokens.ReadByte();
                var argument = id == BsmTokenId.Arg32 ? tokens.ReadUInt32() : tokens.ReadUInt64();
                tokens.ReadCountedText();
                Arg0 = number == 0 ? Arg0 ?? argument : Arg0;
                Arg1 = number == 1 ? Arg1 ?? argument : Arg1;
                break;
            case BsmTokenId.SockInet32 or BsmTokenId.SockInet128:
                tokens.Skip(2);
                var port = tokens.ReadUInt16();
                Socket = new BsmAddress(id == BsmTokenId.SockInet32 ? BsmAddress.AfInet : BsmAddress.AfInet6, port,
                    tokens.ReadBytes(id == BsmTokenId.SockInet32 ? BsmTokenId.AddressIPv4 : BsmTokenId.AddressIPv6), default);
                break;
            case BsmTokenId.SockUnix:
                tokens.Skip(2);
                Socket = new BsmAddress(BsmAddress.AfUnix, 0, default, tokens.ReadTextWithin(UnixPathMax));
                break;
            case BsmTokenId.SocketEx:
                ReadSocketEx(ref tokens);
                break;
            case BsmTokenId.Text:
                var text = tokens.ReadCountedText();
                Text = Text.IsEmpty ? text : Text;
                break;
            case BsmTokenId.Zonename:
                Zonename = tokens.ReadCountedText();
                break;
            case BsmTokenId.Identity:
                // Apple's au_to_identity: signer type, signing id, its truncation flag, team id, its flag, cdhash.
                tokens.Skip(4);
                SigningId = tokens.ReadCountedText();
                tokens.Skip(1);
                TeamId = tokens.ReadCountedText();
                tokens.Skip(1);
                tokens.ReadBytes(tokens.ReadUInt16());
                break;
            case BsmTokenId.Exit:
                ExitStatus = tokens.ReadInt32();
                ExitReturn = tokens.ReadInt32();
                break;
            case BsmTokenId.InAddr:
                InAddress = tokens.ReadBytes(BsmTokenId.AddressIPv4);
                break;
            case BsmTokenId.InAddrEx:
                InAddress = tokens.ReadAddress(tokens.ReadInt32());
                break;
            case BsmTokenId.IPort:
                IPort = tokens.ReadUInt16();
                break;
            default:
                return TrySkipToken(id, ref tokens);
        }

        return !tokens.Failed;
    }

    private void ReadSocketEx(ref BsmCursor tokens)
    {
        var domain = tokens.ReadUInt16();
        tokens.Skip(2);
        var addressType = tokens.ReadUInt16();
        var family = addressType == BsmTokenId.AddressIPv6 ? BsmAddress.AfInet6 : BsmAddress.AfInet;
        var localPort = tokens.ReadUInt16();
        var local = tokens.ReadAddress(addressType);
        var remotePort = tokens.ReadUInt16();
        var remote = tokens.ReadAddress(addressType);
        if (domain == BsmAddress.BsmPfInet || domain == BsmAddress.BsmPfInet6)
        {
            SocketLocal = new BsmAddress(family, localPort, local, default);
            SocketRemote = new BsmAddress(family, remotePort, remote, default);
        }
    }

    /// <summary>Steps over the tokens Vigil does not read but whose layout is fixed or self-described.</summary>
    private static bool TrySkipToken(byte id, ref BsmCursor tokens)
    {
        switch (id)
        {
            case BsmTokenId.Data:
                tokens.Skip(1);
                var unit = tokens.ReadByte() switch
                {
                    0 => 1,
                    1 => 2,
                    2 => 4,
                    3 => 8,
                    _ => 0,
                };
                var units = tokens.ReadByte();
                if (unit == 0)
                {
                    return false;
                }

                tokens.Skip(unit * units);
                break;
            case BsmTokenId.Opaque:
                tokens.ReadBytes(tokens.ReadUInt16());
                break;
            case BsmTokenId.Ipc:
                tokens.Skip(1 + 4);
                break;
            case BsmTokenId.IpcPerm:
                tokens.Skip(7 * 4);
                break;
            case BsmTokenId.Ip:
                tokens.Skip(20);
                break;
            case BsmTokenId.Seq:
                tokens.Skip(4);
                break;
            case BsmTokenId.Socket:
                tokens.Skip(2 + 2 + 4 + 2 + 4);
                break;
            case BsmTokenId.NewGroups:
                tokens.Skip(4 * tokens.ReadUInt16());
                break;
            case BsmTokenId.OtherFile32:
                tokens.Skip(4 + 4);
                tokens.ReadCountedText();
                break;
            case BsmTokenId.ArgUuid or BsmTokenId.ReturnUuid:
                tokens.Skip(1 + 16);
                tokens.ReadCountedText();
                break;
            default:
                return false;
        }

        return !tokens.Failed;
    }
}
