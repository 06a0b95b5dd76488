namespace Vigil.Bsm;

/// <summary>An attribute token: the mode and owner of the file a call used (the executable, for an exec).</summary>
public readonly record struct BsmAttributes(bool Present, uint Mode, uint Uid, uint Gid)
{
    /// <summary>Reads the token after its id: mode, uid, gid, file system id (4 bytes each), node id (8), device (4 or 8).</summary>
    internal static BsmAttributes Read(bool wideDevice, ref BsmCursor tokens)
    {
        var attributes = new BsmAttributes(true, tokens.ReadUInt32(), tokens.ReadUInt32(), tokens.ReadUInt32());
        tokens.Skip(4 + 8 + (wideDevice ? 8 : 4));
        return attributes;
    }
}
