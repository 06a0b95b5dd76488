using System.Text;
using Vigil.Daemon;
using Vigil.Logging;
using Vigil.Remote;
using Vigil.Store;
using Xunit;

namespace Vigil.Tests.Remote;

/// <summary>The TLS logger's buffer: lines leave only when acknowledged, oldest first; too long and too many are dropped and counted.</summary>
public sealed class TlsLogBufferTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-tlsbuffer-").FullName;

    private string DatabasePath => Path.Combine(_dir, "db", "vigil.db");

    public TlsLogBufferTests() => VigilDaemon.PrepareStore(DatabasePath);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Batches_AreOldestFirst_OfOneType_AndLeaveOnlyWhenAcknowledged_AcrossReopening()
    {
        using (var buffer = new TlsLogBuffer(DatabasePath, 1024, 0))
        {
            Insert(buffer, """{"n":1}""", """{"n":2}""", """{"n":3}""");
            buffer.InsertStatus(Encoding.UTF8.GetBytes("""{"message":"s"}"""));
            var first = buffer.Next(TlsLogType.Result, 2)!;
            Assert.Equal(["""{"n":1}""", """{"n":2}"""], first.Lines.Select(Encoding.UTF8.GetString));
            Assert.Equal(["""{"message":"s"}"""], buffer.Next(TlsLogType.Status, 10)!.Lines.Select(Encoding.UTF8.GetString));
            buffer.Acknowledge(first);
            Assert.Equal(2, buffer.Count);
        }

        using var reopened = new TlsLogBuffer(DatabasePath, 1024, 0);
        Assert.Equal(2, reopened.Count);
        Assert.Equal(["""{"n":3}"""], reopened.Next(TlsLogType.Result, 10)!.Lines.Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void PastTheMaximum_TheOldestAreDropped_AndTooLongLinesAreNotBuffered_BothCounted()
    {
        using var buffer = new TlsLogBuffer(DatabasePath, 10, 3);
        Insert(buffer, """{"n":1}""", """{"n":2}""", """{"long":"0123456789"}""", """{"n":3}""", """{"n":4}""", """{"n":5}""");
        Assert.Equal(3, buffer.Count);
        Assert.Equal(["""{"n":3}""", """{"n":4}""", """{"n":5}"""], buffer.Next(TlsLogType.Result, 10)!.Lines.Select(Encoding.UTF8.GetString));
        Assert.Equal((1L, 2L), buffer.TakeDrops());
        Assert.Equal((0L, 0L), buffer.TakeDrops());
    }

    private void Insert(TlsLogBuffer buffer, params string[] lines)
    {
        var utf8 = new Utf8Lines();
        foreach (var line in lines)
        {
            utf8.Add(Encoding.UTF8.GetBytes(line));
        }

        using var connection = StateConnection.Open(DatabasePath);
        using var transaction = connection.BeginTransaction();
        buffer.Insert(transaction, TlsLogType.Result, utf8);
        transaction.Commit();
    }
}
