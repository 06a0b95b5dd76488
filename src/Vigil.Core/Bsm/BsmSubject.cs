namespace Vigil.Bsm;

/// <summary>
/// A subject or process token: the audit, effective and real ids, pid and audit session. The terminal's port and
/// address are stepped over.
/// </summary>
public readonly record struct BsmSubject(bool Present, uint Auid, uint Euid, uint Egid, uint Ruid, uint Rgid, uint Pid, uint SessionId)
{
    /// <summary>Reads the token after its id: a 4 or 8-byte terminal port, then a 4-byte address or, expanded, a type and its address.</summary>
    internal static BsmSubject Read(bool widePort, bool expanded, ref BsmCursor tokens)
    {
        var subject = new BsmSubject(true, tokens.ReadUInt32(), tokens.ReadUInt32(), tokens.ReadUInt32(), tokens.ReadUInt32(),
            tokens.ReadUInt32(), tokens.ReadUInt32(), tokens.ReadUInt32());
        tokens.Skip(widePort ? 8 : 4);
        tokens.ReadAddress(expanded ? tokens.ReadInt32() : BsmTokenId.AddressIPv4);
        return subject;
    }
}
