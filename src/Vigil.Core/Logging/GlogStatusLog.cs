using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Vigil.Platform;

namespace Vigil.Logging;

/// <summary>
/// The status log in glog's file layout, as osquery's filesystem logger leaves it: <c>vigil.INFO</c> holds every line,
/// <c>vigil.WARNING</c> warnings and errors, <c>vigil.ERROR</c> errors, as glog writes each message into its own severity's
/// file and every lower one. Lines use osquery's glog prefix, <c>I1121 13:45:01.123456 12345 file.cs:42] message</c>, in local
/// time. Unlike glog the files are plain (no timestamped names behind symlinks) and are appended to across restarts,
/// and each line opens, appends to and closes its files: no file stays open, so the directory's file system can be
/// remounted read-only while Vigil runs, and a file moved or removed is never written through a stale handle. A file
/// moved or removed while running is started anew (the directory too, with the mode it had at start), and that is the
/// first line of the new file. Writing never throws: while the files cannot be written (a full, read-only or failing
/// disk), every line goes to stderr and the error is reported there at most once a minute; the first line written
/// again says how long the files could not be.
/// </summary>
public sealed class GlogStatusLog : IStatusLog
{
    private static readonly string[] FileSuffixes = [".INFO", ".WARNING", ".ERROR"];

    // Which files this log has started (written their header to); one found missing since was moved or removed.
    private readonly bool[] _started = new bool[3];
    private readonly string _basePath;
    private readonly StatusSeverity _minSeverity;
    private readonly TextWriter? _stderr;
    private readonly StatusSeverity _minStderr;
    private readonly TimeProvider _time;
    private readonly UnixFileMode _mode;
    private readonly LoggerDirectory _directory;
    private readonly Lock _lock = new();
    private readonly FailureReport _failures = new(FailureReport.Minute);

    /// <summary>Creates the status log under <paramref name="options"/>' logger path; the files are created on their first line.</summary>
    /// <param name="options">The logger path, prefix and file mode.</param>
    /// <param name="minSeverity"><c>--logger_min_status</c>: lines below it are dropped.</param>
    /// <param name="stderr">
    /// With <c>--logger_stderr</c>, where lines at or above <paramref name="minStderr"/> are echoed, and every line while
    /// the files cannot be written.
    /// </param>
    /// <param name="minStderr"><c>--logger_min_stderr</c>.</param>
    /// <param name="time">The clock (tests inject one).</param>
    public GlogStatusLog(FilesystemLoggerOptions options, StatusSeverity minSeverity = StatusSeverity.Info, TextWriter? stderr = null, StatusSeverity minStderr = StatusSeverity.Info, TimeProvider? time = null)
    {
        _directory = new LoggerDirectory(options.LoggerPath);
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

    private void Write(StatusSeverity severity, string message, string file, int line)
    {
        if (severity < _minSeverity)
        {
            return;
        }

        var now = _time.GetLocalNow();
        string text = FormatLine(severity, now, Libc.gettid(), file, line, message) + "\n";
        lock (_lock)
        {
            var written = false;
            try
            {
                if (ReopenIfRemoved() is { } notice && StatusSeverity.Warning >= _minSeverity)
                {
                    var (noticeFile, noticeLine) = CallSite();
                    var noticeText = FormatLine(StatusSeverity.Warning, now, Libc.gettid(), noticeFile, noticeLine, notice) + "\n";
                    WriteToFiles(StatusSeverity.Warning, noticeText, now);
                    Echo(noticeText, StatusSeverity.Warning, written: true);
                }

                if (_failures.Recover(now.ToUnixTimeMilliseconds(), out var failed))
                {
                    var (noticeFile, noticeLine) = CallSite();
                    WriteToFiles(StatusSeverity.Warning, FormatLine(StatusSeverity.Warning, now, Libc.gettid(), noticeFile, noticeLine,
                        $"The status log could not be written for {failed / 1000} s; its lines of that time went to stderr only") + "\n", now);
                }

                WriteToFiles(severity, text, now);
                written = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ReportFailure(e, now);
            }

            Echo(text, severity, written);
        }
    }

    // A file this log started that is gone was moved or removed: every file starts anew (with its header), under a
    // directory created again if needed.
    private string? ReopenIfRemoved()
    {
        var removed = false;
        for (int s = 0; s < _started.Length; s++)
        {
            removed |= _started[s] && !File.Exists(PathOf((StatusSeverity)s));
        }

        if (removed)
        {
            Array.Clear(_started);
        }

        return _directory.Recreate() is { } recreated
            ? recreated + "; started a new status log"
            : removed ? $"The status log {PathOf(StatusSeverity.Info)} was moved or removed while running; started a new one" : null;
    }

    private void WriteToFiles(StatusSeverity severity, string text, DateTimeOffset now)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        for (int s = 0; s <= (int)severity; s++)
        {
            using var stream = LogFile.OpenAppend(PathOf((StatusSeverity)s), _mode);
            if (!_started[s])
            {
                stream.Write(Header(now));
                _started[s] = true;
            }

            stream.Write(bytes);
        }
    }

    private void Echo(string text, StatusSeverity severity, bool written)
    {
        if (_stderr is not null && (severity >= _minStderr || !written))
        {
            EchoRaw(text);
        }
    }

    // stderr is the last place a line can go: when even it fails (a closed pipe), the line is lost rather than the
    // caller's work.
    private void EchoRaw(string text)
    {
        try
        {
            _stderr!.Write(text);
            _stderr.Flush();
        }
        catch (IOException)
        {
        }
    }

    private void ReportFailure(Exception error, DateTimeOffset now)
    {
        if (_failures.Fail(now.ToUnixTimeMilliseconds(), out var failures) && _stderr is not null)
        {
            EchoRaw($"vigil: cannot write the status log {PathOf(StatusSeverity.Info)}: {error.Message}; its lines go to stderr until it can (failed writes since the last report: {failures}; reported at most once a minute)\n");
        }
    }

    // glog opens every log file with this header.
    private static byte[] Header(DateTimeOffset now) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"Log file created at: {now:yyyy'/'MM'/'dd HH':'mm':'ss}\nRunning on machine: {Environment.MachineName}\nLog line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg\n"));

    private static (string File, int Line) CallSite([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => (file, line);
}
