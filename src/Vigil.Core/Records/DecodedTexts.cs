namespace Vigil.Records;

/// <summary>
/// <see cref="AuditValue.DecodeText"/> of the raw values seen lately, kept: the paths of a log's executables and working
/// directories repeat from event to event, and a new string for each row (with the collections they brought on) was a
/// tenth of a log-file scan's row thread. A value is kept in one of a fixed number of slots, chosen by its hash, in
/// place of the one before; a clash costs a decode, never a wrong text. One instance per thread.
/// </summary>
public sealed class DecodedTexts
{
    // A power of two, for the slot mask.
    private const int Slots = 64;

    // Longer values (a hex-encoded path with spaces, rarely repeated) are decoded each time rather than kept.
    private const int MostKeptBytes = 256;

    private readonly byte[]?[] _raw = new byte[Slots][];
    private readonly string[] _texts = new string[Slots];

    /// <summary>The text of <paramref name="rawValue"/>, as <see cref="AuditValue.DecodeText"/> gives it.</summary>
    public string Decode(ReadOnlySpan<byte> rawValue)
    {
        if (rawValue.Length > MostKeptBytes)
        {
            return AuditValue.DecodeText(rawValue);
        }

        var hash = default(HashCode);
        hash.AddBytes(rawValue);
        var slot = hash.ToHashCode() & (Slots - 1);
        if (_raw[slot] is { } kept && rawValue.SequenceEqual(kept))
        {
            return _texts[slot];
        }

        var text = AuditValue.DecodeText(rawValue);
        _raw[slot] = rawValue.ToArray();
        _texts[slot] = text;
        return text;
    }
}
