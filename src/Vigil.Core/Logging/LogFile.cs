namespace Vigil.Logging;

/// <summary>Opens log files the way every Vigil log is written: appended, shared with readers and rotators, created with a given mode.</summary>
internal static class LogFile
{
    /// <summary>Opens <paramref name="path"/> for appending, creating it with <paramref name="mode"/> (before the umask) when missing.</summary>
    public static FileStream OpenAppend(string path, UnixFileMode mode)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
        };

        // The analyzer needs the platform check; Vigil only runs on Linux.
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        return new FileStream(path, options);
    }
}
