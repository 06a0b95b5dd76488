using System.Threading.Channels;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Ingest;

/// <summary>
/// Hands rows from the reader thread to a writer thread that commits them in batches, so a slow disk or a
/// checkpoint never stalls the netlink socket. When the queue is full the reader waits: the kernel's own backlog
/// absorbs the burst and counts what it cannot, rather than Vigil dropping rows it already accepted.
/// The writer sleeps through a commit window (100 ms unless given) from the arrival of the first row it has not
/// stored, then inserts and commits everything queued in transactions of at most <see cref="CommitRows"/> rows, so
/// the reader does not wake it per row and SQLite pays its transaction cost (locks, WAL append, header writes) once
/// per window instead of once per row. <see cref="Dispose"/> cuts the window short and commits everything queued.
/// A row counts in <see cref="Committed"/> only once its transaction is committed. A process killed outright
/// (SIGKILL, power loss) loses the rows still queued: about one window of events, more when the store is behind.
/// A batch the store refuses (disk full, I/O error) is rolled back and its rows counted in <see cref="Dropped"/>;
/// the writer keeps taking rows and the next batch tries again, so storing resumes by itself when space returns.
/// The error is reported through the error callback at most once per interval, with the rows dropped since the last report.
/// </summary>
public sealed class StoreQueue : IRowSink, IDisposable
{
    /// <summary>The most rows committed in one transaction.</summary>
    public const int CommitRows = 8192;

    private const int Capacity = 65536;
    private static readonly TimeSpan DefaultCommitWindow = TimeSpan.FromMilliseconds(100);

    private readonly Channel<(TableSpec Table, ColumnValue[] Row)> _channel =
        Channel.CreateBounded<(TableSpec, ColumnValue[])>(new BoundedChannelOptions(Capacity)
        {
            // Shed drains from another thread than the writer's.
            SingleReader = false,
            SingleWriter = true,
            // The only continuation is a blocked thread's wake-up: run it inline instead of through the thread pool,
            // whose spinning workers cost the daemon about 30% of its CPU at 600 exec/s (bench/RESULTS.md).
            AllowSynchronousContinuations = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    private readonly EventStore _store;
    private readonly Thread _writer;
    private readonly Action<string>? _onError;
    private readonly long _errorIntervalMilliseconds;
    private readonly long _commitWindowMilliseconds;
    private readonly ManualResetEventSlim _closing = new(false);
    private Exception? _failure;
    private long _committed;
    private long _dropped;
    private long _shed;
    private long _droppedUnreported;
    private long _lastReport = long.MinValue;

    /// <summary>
    /// Opens its own read-write connection on <paramref name="databasePath"/> and starts the writer thread.
    /// <paramref name="onError"/> hears store errors (on the writer thread), at most once per
    /// <paramref name="errorInterval"/> (default a minute). <paramref name="commitWindow"/> bounds how long a row waits
    /// for its batch's commit (default 100 ms; zero commits whenever the queue is empty).
    /// </summary>
    public StoreQueue(
        string databasePath,
        IReadOnlyList<TableSpec> tables,
        Action<string>? onError = null,
        TimeSpan? errorInterval = null,
        TimeSpan? commitWindow = null)
    {
        _onError = onError;
        _errorIntervalMilliseconds = (long)(errorInterval ?? TimeSpan.FromMinutes(1)).TotalMilliseconds;
        _commitWindowMilliseconds = (long)(commitWindow ?? DefaultCommitWindow).TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfNegative(_commitWindowMilliseconds, nameof(commitWindow));
        _store = EventStore.OpenReadWrite(databasePath, tables);
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "vigil-store" };
        _writer.Start();
    }

    /// <summary>Rows committed to the store so far.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Rows the store refused (their batch failed to be written), so never stored.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Rows waiting for the writer.</summary>
    public int Depth => _channel.Reader.Count;

    /// <summary>Rows thrown away by <see cref="Shed"/>.</summary>
    public long ShedRows => Interlocked.Read(ref _shed);

    /// <summary>
    /// Throws away the rows still waiting for the writer and returns how many: what a process over its memory limit
    /// gives up first, because it is the only memory that grows with load and is not yet stored.
    /// </summary>
    public int Shed()
    {
        var count = 0;
        while (_channel.Reader.TryRead(out _))
        {
            count++;
        }

        Interlocked.Add(ref _shed, count);
        return count;
    }

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
        _closing.Set();
        _writer.Join();
        _store.Dispose();
        _closing.Dispose();
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
            // The earliest time the oldest queued row can have arrived: its batch is due a window later.
            var oldest = Environment.TickCount64;
            while (true)
            {
                if (reader.Count == 0)
                {
                    if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                    {
                        return;
                    }

                    oldest = Environment.TickCount64;
                }

                WaitForBatch(oldest + _commitWindowMilliseconds);
                var taken = 0;
                try
                {
                    while (taken < CommitRows && reader.TryRead(out var item))
                    {
                        taken++;
                        writer.Append(item.Table, item.Row);
                    }

                    // Rows left behind by a full batch are already due; rows queued after the drain emptied the
                    // queue arrived after this moment.
                    if (reader.Count == 0)
                    {
                        oldest = Environment.TickCount64;
                    }

                    Interlocked.Add(ref _committed, writer.Commit());
                }
                catch (StoreException e)
                {
                    Drop(taken, e);
                }
            }
        }
        catch (Exception e)
        {
            _failure = e;
            _channel.Writer.TryComplete(e);
        }
    }

    // Rows arriving meanwhile wait in the channel, so the reader never wakes this thread and the write lock stays
    // free; only Dispose ends the wait early. Filling the queue's capacity within one window would take more than
    // 650,000 rows/s, over ten times what the store inserts, so the window needs no row threshold of its own.
    private void WaitForBatch(long due)
    {
        var remaining = due - Environment.TickCount64;
        if (remaining > 0 && !_closing.IsSet)
        {
            _closing.Wait((int)remaining);
        }
    }

    // The batch is lost: roll back what SQLite has not already rolled back itself and count every row taken for it.
    private void Drop(int rows, StoreException error)
    {
        try
        {
            _store.Writer.Rollback();
        }
        catch (StoreException)
        {
            // If even the rollback fails, the next batches fail and are dropped the same way until the store recovers.
        }

        Interlocked.Add(ref _dropped, rows);
        _droppedUnreported += rows;
        var now = Environment.TickCount64;
        if (_onError is not null && (_lastReport == long.MinValue || now - _lastReport >= _errorIntervalMilliseconds))
        {
            _lastReport = now;
            _onError($"cannot store events: {error.Message}; {_droppedUnreported} rows dropped");
            _droppedUnreported = 0;
        }
    }
}
