using System.Threading.Channels;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Ingest;

/// <summary>
/// Hands rows from the reader thread to a writer thread that commits them in batches, so a slow disk or a
/// checkpoint never stalls the netlink socket. When the queue is full the reader waits: the kernel's own backlog
/// absorbs the burst and counts what it cannot, rather than Vigil dropping rows it already accepted.
/// </summary>
public sealed class StoreQueue : IRowSink, IDisposable
{
    private const int Capacity = 65536;
    private const int MaxBatch = 4096;

    private readonly Channel<(TableSpec Table, ColumnValue[] Row)> _channel =
        Channel.CreateBounded<(TableSpec, ColumnValue[])>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    private readonly EventStore _store;
    private readonly Thread _writer;
    private Exception? _failure;
    private long _committed;

    /// <summary>Opens its own read-write connection on <paramref name="databasePath"/> and starts the writer thread.</summary>
    public StoreQueue(string databasePath, IReadOnlyList<TableSpec> tables)
    {
        _store = EventStore.OpenReadWrite(databasePath, tables);
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "vigil-store" };
        _writer.Start();
    }

    /// <summary>Rows committed to the store so far.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Rows waiting for the writer.</summary>
    public int Depth => _channel.Reader.Count;

    /// <inheritdoc/>
    public void Write(TableSpec table, ReadOnlySpan<ColumnValue> row)
    {
        var item = (table, row.ToArray());
        while (!_channel.Writer.TryWrite(item))
        {
            if (!_channel.Writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult())
            {
                throw new InvalidOperationException("the store writer has stopped", _failure);
            }
        }
    }

    /// <summary>Commits everything queued, stops the writer and closes the store; rethrows a failure of the writer.</summary>
    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _writer.Join();
        _store.Dispose();
        if (_failure is not null)
        {
            throw new InvalidOperationException($"storing events failed: {_failure.Message}", _failure);
        }
    }

    private void WriteLoop()
    {
        var reader = _channel.Reader;
        var writer = _store.Writer;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (writer.Pending < MaxBatch && reader.TryRead(out var item))
                {
                    writer.Append(item.Table, item.Row);
                }

                Interlocked.Add(ref _committed, writer.Commit());
            }
        }
        catch (Exception e)
        {
            _failure = e;
            _channel.Writer.TryComplete(e);
        }
    }
}
