namespace Vigil.Daemon;

/// <summary>An append to a result log about to be made: the file, its length before, and the bytes that go after it.</summary>
/// <param name="Path">The log file.</param>
/// <param name="Offset">The file's length before the append.</param>
/// <param name="Chunks">The lines appended, each ending in a newline, in order.</param>
public sealed record LogAppend(string Path, long Offset, IReadOnlyList<ReadOnlyMemory<byte>> Chunks)
{
    /// <summary>The number of bytes appended.</summary>
    public long Length
    {
        get
        {
            long length = 0;
            foreach (var chunk in Chunks)
            {
                length += chunk.Length;
            }

            return length;
        }
    }
}
