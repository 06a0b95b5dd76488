namespace Vigil.Daemon;

/// <summary>An append to a result log about to be made: the file, its length before, and the bytes that go after it.</summary>
/// <param name="Path">The log file.</param>
/// <param name="Offset">The file's length before the append.</param>
/// <param name="Bytes">The lines appended, each ending in a newline.</param>
public sealed record LogAppend(string Path, long Offset, byte[] Bytes);
