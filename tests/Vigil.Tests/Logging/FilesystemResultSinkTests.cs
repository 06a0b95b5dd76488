using Vigil.Logging;
using Vigil.Tests.Schedule;
using Xunit;

namespace Vigil.Tests.Logging;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FilesystemResultSinkTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vigil-fs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void CreatesTheDirectoryAndAnEmptyResultsFileWithMode0640()
    {
        string path = Path.Combine(_dir, "nested");

        var sink = new FilesystemResultSink(new FilesystemLoggerOptions { LoggerPath = path });

        Assert.Equal(Path.Combine(path, "vigil.results.log"), sink.ResultsPath);
        Assert.Equal(0, new FileInfo(sink.ResultsPath).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(sink.ResultsPath));
        Assert.False(File.Exists(sink.SnapshotsPath));
    }

    [Fact]
    public void AppendsResultsAndSnapshotsToTheirOwnFiles()
    {
        var sink = new FilesystemResultSink(new FilesystemLoggerOptions { LoggerPath = _dir });

        sink.LogResults(Lines("{\"a\":1}", "{\"a\":2}"));
        sink.LogResults(Lines("{\"a\":3}"));
        sink.LogSnapshots(Lines("{\"s\":1}"));

        Assert.Equal("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n", File.ReadAllText(sink.ResultsPath));
        Assert.Equal("{\"s\":1}\n", File.ReadAllText(Path.Combine(_dir, "vigil.snapshots.log")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(sink.SnapshotsPath));
    }

    [Fact]
    public void RotatesBySizeAndKeepsMaxFiles()
    {
        var sink = new FilesystemResultSink(new FilesystemLoggerOptions { LoggerPath = _dir, Rotate = true, RotateSize = 20, RotateMaxFiles = 3 });

        // Each line is 10 bytes with its newline: the size check before every line rotates after every second line.
        for (int i = 0; i < 12; i++)
        {
            sink.LogResults(Lines($"line-{i:00}-x"));
        }

        string live = sink.ResultsPath;
        Assert.Equal("line-10-x\nline-11-x\n", File.ReadAllText(live));
        Assert.Equal("line-08-x\nline-09-x\n", File.ReadAllText(live + ".1"));
        Assert.Equal("line-06-x\nline-07-x\n", File.ReadAllText(live + ".2"));
        Assert.Equal("line-04-x\nline-05-x\n", File.ReadAllText(live + ".3"));
        Assert.False(File.Exists(live + ".4"));
        Assert.Equal(4, Directory.GetFiles(_dir, "vigil.results.log*").Length);
    }

    [Fact]
    public void RotationHappensInsideABatch()
    {
        var sink = new FilesystemResultSink(new FilesystemLoggerOptions { LoggerPath = _dir, Rotate = true, RotateSize = 20, RotateMaxFiles = 25 });

        sink.LogResults(Lines("line-00-x", "line-01-x", "line-02-x"));

        Assert.Equal("line-02-x\n", File.ReadAllText(sink.ResultsPath));
        Assert.Equal("line-00-x\nline-01-x\n", File.ReadAllText(sink.ResultsPath + ".1"));
    }

    [Fact]
    public void EncodedLines_AreWrittenByteForByte_AndRotateInsideABatch_LikeStrings()
    {
        var sink = new FilesystemResultSink(new FilesystemLoggerOptions { LoggerPath = _dir, Rotate = true, RotateSize = 20, RotateMaxFiles = 25 });
        var lines = new Utf8Lines();
        lines.AddRange(["line-00-x", "line-01-x", "l\u00e9-02-\u2603"]);
        var snapshots = new Utf8Lines();
        snapshots.Add("{\"s\":\"\u00e9\"}");

        sink.LogResults(lines);
        sink.LogSnapshots(snapshots);

        Assert.Equal("l\u00e9-02-\u2603\n", File.ReadAllText(sink.ResultsPath));
        Assert.Equal("line-00-x\nline-01-x\n", File.ReadAllText(sink.ResultsPath + ".1"));
        Assert.Equal("{\"s\":\"\u00e9\"}\n", File.ReadAllText(sink.SnapshotsPath));
    }

    [Fact]
    public void WithoutRotationTheFileGrows()
    {
        var sink = new FilesystemResultSink(new FilesystemLoggerOptions { LoggerPath = _dir, RotateSize = 5 });

        sink.LogResults(Lines("line-00-x", "line-01-x"));

        Assert.Equal("line-00-x\nline-01-x\n", File.ReadAllText(sink.ResultsPath));
        Assert.False(File.Exists(sink.ResultsPath + ".1"));
    }

    [Fact]
    public void StdoutSinkWritesEveryLine()
    {
        var output = new StringWriter();
        var sink = new StdoutResultSink(output);

        sink.LogResults(Lines("{\"a\":1}"));
        sink.LogSnapshots(Lines("{\"s\":1}"));

        Assert.Equal("{\"a\":1}\n{\"s\":1}\n", output.ToString());
    }

    [Fact]
    public void RemovedDirectory_IsCreatedAgainWithItsModeAtStart_AtTheNextWrite_ReportedOnce()
    {
        Directory.CreateDirectory(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        var status = new RecordingStatusLog();
        var sink = new FilesystemResultSink(new FilesystemLoggerOptions { LoggerPath = _dir }, status);
        sink.LogResults(Lines("{\"before\":1}"));

        Directory.Delete(_dir, recursive: true);
        sink.LogResults(Lines("{\"after\":1}"));
        sink.LogResults(Lines("{\"after\":2}"));

        Assert.Equal("{\"after\":1}\n{\"after\":2}\n", File.ReadAllText(sink.ResultsPath));
        Assert.Equal((UnixFileMode)0x1e8, File.GetUnixFileMode(_dir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(sink.ResultsPath));
        Assert.Equal([$"WARNING --logger_path {_dir} was removed while running; created it again with mode 0750"], status.Lines);
    }

    [Fact]
    public void AFileInPlaceOfTheDirectory_FailsTheWrite_UntilItIsGone()
    {
        var status = new RecordingStatusLog();
        var sink = new FilesystemResultSink(new FilesystemLoggerOptions { LoggerPath = _dir }, status);
        Directory.Delete(_dir, recursive: true);
        File.WriteAllText(_dir, "not a directory");

        var error = Assert.Throws<IOException>(() => sink.LogResults(Lines("{\"lost\":1}")));
        Assert.Contains(_dir, error.Message, StringComparison.Ordinal);
        Assert.Empty(status.Lines);

        File.Delete(_dir);
        sink.LogResults(Lines("{\"back\":1}"));
        Assert.Equal("{\"back\":1}\n", File.ReadAllText(sink.ResultsPath));
        Assert.Single(status.Lines);
    }

    private static Utf8Lines Lines(params string[] lines)
    {
        var encoded = new Utf8Lines();
        encoded.AddRange(lines);
        return encoded;
    }
}
