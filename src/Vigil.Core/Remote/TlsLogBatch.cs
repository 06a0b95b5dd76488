namespace Vigil.Remote;

/// <summary>Lines of one log request, oldest first: their type, each line's id in the buffer and its JSON object as UTF-8.</summary>
public sealed record TlsLogBatch(TlsLogType Type, IReadOnlyList<long> Ids, IReadOnlyList<byte[]> Lines)
{
    /// <summary>The id of the newest line.</summary>
    public long LastId => Ids[^1];
}
