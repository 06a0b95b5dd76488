namespace Vigil.Logging;

/// <summary>
/// The <c>--logger_path</c> directory of one logger: created when missing at start, and created again, with the mode it
/// had at start, when it is removed while Vigil runs (an operator's <c>rm -rf</c>, a cleanup job).
/// </summary>
internal sealed class LoggerDirectory
{
    private readonly UnixFileMode _mode;

    /// <summary>Creates <paramref name="path"/> when missing and remembers its mode.</summary>
    public LoggerDirectory(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
        _mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates the directory again when it is gone and returns the sentence to report, or null when it was there.
    /// Throws <see cref="IOException"/> when it cannot be created, as when a file now stands in its place.
    /// </summary>
    public string? Recreate()
    {
        if (Directory.Exists(Path))
        {
            return null;
        }

        Directory.CreateDirectory(Path);
        if (!OperatingSystem.IsWindows())
        {
            // Set, not passed to mkdir, so the umask cannot narrow it: the mode is the one the directory had at start.
            File.SetUnixFileMode(Path, _mode);
        }

        return $"--logger_path {Path} was removed while running; created it again with mode {Octal(_mode)}";
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xfff, 8).PadLeft(3, '0');
}
