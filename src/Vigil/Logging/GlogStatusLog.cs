using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Logging;

/// <summary>
/// The status log in glog's file layout, as osquery's filesystem logger leaves it: <c>vigil.INFO</c> holds every line,
/// <c>vigil.WARNING</c> warnings and errors, <c>vigil.ERROR</c> errors, as glog writes each message into its own severity's
/// file and every lower one. Lines use osquery's glog prefix, <c>I1121 13:45:01.123456 12345 file.cs:42] message</c>, in local
/// time. Unlike glog the files are plain (no timestamped names behind symlinks) and are appended to across restarts.
/// </summary>
public sealed partial class GlogStatusLog : IStatusLog, IDisposable
{
    private static readonly string[] FileSuffixes = [".INFO", ".WARNING", ".ERROR"];

    private readonly FileStream?[] _files = new FileStream?[3];
    private readonly string _basePath;
    private readonly StatusSeverity _minSeverity;
    private readonly TextWriter? _stderr;
    private readonly StatusSeverity _minStderr;
    private readonly TimeProvider _time;
    private readonly UnixFileMode _mode;
    private readonly Lock _lock = new();

    /// <summary>Creates the status log under <paramref name="options"/>' logger path; the files are created on their first line.</summary>
    /// <param name="options">The logger path, prefix and file mode.</param>
    /// <param name="minSeverity"><c>--logger_min_status</c>: lines below it are dropped.</param>
    /// <param name="stderr">With <c>--logger_stderr</c>, where lines at or above <paramref name="minStderr"/> are echoed.</param>
    /// <param name="minStderr"><c>--logger_min_stderr</c>.</param>
    /// <param name="time">The clock (tests inject one).</param>
    public GlogStatusLog(FilesystemLoggerOptions options, StatusSeverity minSeverity = StatusSeverity.Info, TextWriter? stderr = null, StatusSeverity minStderr = StatusSeverity.Info, TimeProvider? time = null)
    {
        Directory.CreateDirectory(options.LoggerPath);
        _basePath = Path.Combine(options.LoggerPath, options.FilePrefix);
        _minSeverity = minSeverity;
        _stderr = stderr;
        _minStderr = minStderr;
        _time = time ?? TimeProvider.System;
        _mode = options.Mode;
    }

    /// <summary>The path of the file that receives <paramref name="severity"/> and every more severe line.</summary>
    public string PathOf(StatusSeverity severity) => _basePath + FileSuffixes[(int)severity];

    /// <inheritdoc />
    public void Info(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Write(StatusSeverity.Info, message, file, line);

    /// <inheritdoc />
    public void Warning(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Write(StatusSeverity.Warning, message, file, line);

    /// <inheritdoc />
    public void Error(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Write(StatusSeverity.Error, message, file, line);

    /// <summary>Formats one line with osquery's glog prefix (<c>googleLogCustomPrefix</c>), without the newline.</summary>
    public static string FormatLine(StatusSeverity severity, DateTimeOffset localTime, int threadId, string file, int line, string message)
    {
        var t = localTime;
        long micros = (t.Ticks % TimeSpan.TicksPerSecond) / 10;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{"IWE"[(int)severity]}{t.Month:00}{t.Day:00} {t.Hour:00}:{t.Minute:00}:{t.Second:00}.{micros:000000} {threadId,5} {Path.GetFileName(file)}:{line}] {message}");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            for (int i = 0; i < _files.Length; i++)
            {
                _files[i]?.Dispose();
                _files[i] = null;
            }
        }
    }

    private void Write(StatusSeverity severity, string message, string file, int line)
    {
        if (severity < _minSeverity)
        {
            return;
        }

        var now = _time.GetLocalNow();
        string text = FormatLine(severity, now, gettid(), file, line, message) + "\n";
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        lock (_lock)
        {
            for (int s = 0; s <= (int)severity; s++)
            {
                var stream = _files[s] ??= OpenWithHeader((StatusSeverity)s, now);
                stream.Write(bytes);
                stream.Flush();
            }

            if (_stderr is not null && severity >= _minStderr)
            {
                _stderr.Write(text);
                _stderr.Flush();
            }
        }
    }

    private FileStream OpenWithHeader(StatusSeverity severity, DateTimeOffset now)
    {
        var stream = LogFile.OpenAppend(PathOf(severity), _mode);

        // glog opens every log file with this header.
        string header = string.Create(
            CultureInfo.InvariantCulture,
            $"Log file created at: {now:yyyy'/'MM'/'dd HH':'mm':'ss}\nRunning on machine: {Environment.MachineName}\nLog line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg\n");
        stream.Write(Encoding.UTF8.GetBytes(header));
        return stream;
    }

    // gettid(2): glog prints the kernel thread id, not a managed one.
    [LibraryImport("libc")]
    private static partial int gettid();
}
