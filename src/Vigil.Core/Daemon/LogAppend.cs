using Vigil.Platform;

namespace Vigil.Daemon;

/// <summary>
/// An append to a result log about to be made: the file, its length before, the bytes that go after it, and the file's
/// inode then, by which it is found again should a rotation in the middle of the append have renamed it.
/// </summary>
/// <param name="Path">The log file.</param>
/// <param name="Offset">The file's length before the append.</param>
/// <param name="Chunks">The lines appended, each ending in a newline, in order.</param>
/// <param name="Inode">The file's inode before the append; 0 when it did not exist yet (or was journaled by a Vigil that
/// did not record it).</param>
public sealed record LogAppend(string Path, long Offset, IReadOnlyList<ReadOnlyMemory<byte>> Chunks, ulong Inode = 0)
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

    /// <summary>An append of <paramref name="chunks"/> to <paramref name="path"/> as the file is now.</summary>
    public static LogAppend To(string path, IReadOnlyList<ReadOnlyMemory<byte>> chunks) =>
        Libc.TryStat(path, out var stat) ? new(path, (long)stat.stx_size, chunks, stat.stx_ino) : new(path, 0, chunks);

    /// <summary>The inode of <paramref name="path"/>, or 0 when it does not exist.</summary>
    public static ulong InodeOf(string path) => Libc.TryStat(path, out var stat) ? stat.stx_ino : 0;
}
