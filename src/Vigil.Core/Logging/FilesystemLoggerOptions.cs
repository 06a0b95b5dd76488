namespace Vigil.Logging;

/// <summary>The osquery flags of the filesystem logger.</summary>
public sealed record FilesystemLoggerOptions
{
    /// <summary><c>--logger_path</c>: the directory of the result, snapshot and status logs; created when missing.</summary>
    public required string LoggerPath { get; init; }

    /// <summary>The file name prefix: osquery uses its binary name (<c>osqueryd</c>), Vigil uses <c>vigil</c>.</summary>
    public string FilePrefix { get; init; } = "vigil";

    /// <summary><c>--logger_rotate</c> (default false).</summary>
    public bool Rotate { get; init; }

    /// <summary><c>--logger_rotate_size</c> in bytes (default 26214400): a file this size or larger is rotated before the next line.</summary>
    public long RotateSize { get; init; } = 25 * 1024 * 1024;

    /// <summary><c>--logger_rotate_max_files</c> (default 25): rotated files kept.</summary>
    public int RotateMaxFiles { get; init; } = 25;

    /// <summary><c>--logger_mode</c> (default 0640): the mode new log files are created with.</summary>
    public UnixFileMode Mode { get; init; } = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
}
