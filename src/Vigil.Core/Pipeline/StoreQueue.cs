using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>
/// Hands rows from the reader thread to a writer thread that commits them in batches. The reader only puts a row in a
/// bounded queue in memory and never waits, so neither a slow disk, a checkpoint nor a disk that cannot be written
/// stalls the netlink socket: the kernel's <c>lost</c> counter never rises because of the store. When the queue is
/// full the oldest row not yet stored is dropped for the new one, counted in <see cref="DroppedQueueFull"/>; while
/// the writer holds the oldest rows in a batch, the drop waits for its outcome: stored, the batch's rows were not
/// dropped after all; refused, its oldest rows are dropped then. Memory holds at most the capacity and one batch.
/// The writer sleeps through a commit window from the arrival of the first row it has not stored, then inserts and
/// commits everything queued in transactions of at most <see cref="CommitRows"/> rows, so the reader does not wake it
/// per row and SQLite pays its transaction cost (locks, WAL append, header writes) once per window instead of once per
/// row. A row counts in <see cref="Committed"/> only once its transaction is committed.
/// A batch the store refuses because of the disk, the file system or a lock (full, read-only, I/O error, busy) is
/// rolled back and put back at the head of the queue; the writer tries again after 100 ms, doubling up to a second,
/// with at most <see cref="ProbeRows"/> rows until a commit works, so storing resumes by itself within about a second
/// of the fault clearing and no row is stored twice. A batch refused for any other reason (a failure that trying again
/// cannot fix) is dropped and counted in <see cref="DroppedStoreError"/>. <see cref="Error"/> says why the store
/// fails while it does; whoever owns the queue reports it. <see cref="Dispose"/> cuts the window short and tries once
/// to commit everything queued; what cannot be is counted in <see cref="DroppedAtStop"/>. A process killed outright
/// (SIGKILL, power loss) loses the rows still queued: about one window of events, more when the store is failing.
/// </summary>
public sealed class StoreQueue : IRowSink, IDisposable
{
    /// <summary>The most rows committed in one transaction.</summary>
    public const int CommitRows = 8192;

    /// <summary>The most rows a retry commits while the store is failing: a disk still full costs a few inserts, not a batch's.</summary>
    public const int ProbeRows = 64;

    private const int FirstRetryMilliseconds = 100;
    private const int LastRetryMilliseconds = 1000;

    private readonly object _gate = new();
    private readonly TableSpec?[] _tables;
    private readonly ColumnValue[]?[] _rows;
    private readonly TableSpec?[] _batchTables = new TableSpec?[CommitRows];
    private readonly ColumnValue[]?[] _batchRows = new ColumnValue[]?[CommitRows];
    private readonly IReadOnlyList<TableSpec> _storedTables;
    private readonly int[] _batchPerTable;
    private readonly StoreQueueOptions _options;
    private readonly string _directory;
    private readonly EventStore _store;
    private readonly Thread _writer;
    // No spinning before the commit window's sleep: the wait is a whole window, which spinning cannot shorten.
    private readonly ManualResetEventSlim _closing = new(false, spinCount: 0);

    // The queue is a ring of _count rows from _head; _inFlight more, older ones, are in the writer's batch, of which
    // the _owed oldest are to be dropped if the batch is not stored. _count + _inFlight - _owed never exceeds the capacity.
    private int _head;
    private int _count;
    private int _inFlight;
    private int _owed;
    private bool _writerWaiting;
    private bool _closed;
    private long _committed;
    private long _droppedQueueFull;
    private long _droppedStoreError;
    private long _droppedAtStop;
    private long _shed;
    private long _expired;
    private long _failures;
    private long _freeBytes = -1;
    private volatile string? _error;
    private volatile bool _spaceLow;

    /// <summary>Opens its own read-write connection on <paramref name="databasePath"/> and starts the writer thread.</summary>
    public StoreQueue(string databasePath, IReadOnlyList<TableSpec> tables, StoreQueueOptions? options = null)
    {
        _options = options ?? new StoreQueueOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.CommitWindow.Ticks, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.Capacity, CommitRows, nameof(options));
        _tables = new TableSpec?[_options.Capacity];
        _rows = new ColumnValue[]?[_options.Capacity];
        _storedTables = tables;
        _batchPerTable = new int[tables.Count];
        _directory = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        _store = EventStore.OpenReadWrite(databasePath, tables);
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "vigil-store" };
        _writer.Start();
    }

    /// <summary>Rows committed to the store so far.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Rows dropped, oldest first, because the queue was full: the store could not write or keep up.</summary>
    public long DroppedQueueFull => Interlocked.Read(ref _droppedQueueFull);

    /// <summary>Rows of batches the store refused for a reason trying again cannot fix.</summary>
    public long DroppedStoreError => Interlocked.Read(ref _droppedStoreError);

    /// <summary>Rows still queued at <see cref="Dispose"/> that could not be committed then.</summary>
    public long DroppedAtStop => Interlocked.Read(ref _droppedAtStop);

    /// <summary>Rows thrown away by <see cref="Shed"/>.</summary>
    public long ShedRows => Interlocked.Read(ref _shed);

    /// <summary>Every row taken and never stored, whatever the cause.</summary>
    public long Dropped => DroppedQueueFull + DroppedStoreError + DroppedAtStop + ShedRows;

    /// <summary>Stored rows deleted to make room for new ones (<see cref="SpaceLeftAction.ExpireOldest"/>).</summary>
    public long ExpiredForSpace => Interlocked.Read(ref _expired);

    /// <summary>Commits the store refused for a fault of the disk or a lock, each retried.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Rows waiting for the store, those in the batch being written included.</summary>
    public int Depth
    {
        get
        {
            lock (_gate)
            {
                return _count + _inFlight - _owed;
            }
        }
    }

    /// <summary>Why rows are not being stored (the store's error, or keep_in_memory below the space left), while they are not; null while storing works.</summary>
    public string? Error => _error;

    /// <summary>Whether the database's file system had less free space than <see cref="StoreQueueOptions.SpaceLeftBytes"/> at the last batch.</summary>
    public bool SpaceLow => _spaceLow;

    /// <summary>The free space found on the database's file system at the last batch, or -1 before the first or when not checked.</summary>
    public long FreeBytes => Interlocked.Read(ref _freeBytes);

    /// <summary>The options the queue runs with.</summary>
    public StoreQueueOptions Options => _options;

    /// <summary>
    /// Throws away the rows waiting for the writer, not those it is writing, and returns how many: what a process
    /// over its memory limit gives up first, because it is the only memory that grows with load and is not yet stored.
    /// </summary>
    public int Shed()
    {
        lock (_gate)
        {
            var count = _count;
            while (_count > 0)
            {
                RemoveHead();
            }

            _shed += count;
            return count;
        }
    }

    /// <inheritdoc/>
    public void Write(TableSpec table, ReadOnlySpan<ColumnValue> row)
    {
        var copy = row.ToArray();
        lock (_gate)
        {
            if (_closed)
            {
                _droppedAtStop++;
                return;
            }

            if (_count + _inFlight - _owed == _rows.Length)
            {
                if (_owed < _inFlight)
                {
                    _owed++;
                }
                else
                {
                    RemoveHead();
                    _droppedQueueFull++;
                }
            }

            var tail = (_head + _count) % _rows.Length;
            _tables[tail] = table;
            _rows[tail] = copy;
            _count++;
            if (_writerWaiting)
            {
                _writerWaiting = false;
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Tries once to commit everything queued, stops the writer and closes the store.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }

        _closing.Set();
        _writer.Join();
        _store.Dispose();
        _closing.Dispose();
    }

    private void WriteLoop()
    {
        // The earliest time the oldest queued row can have arrived: its batch is due a window later.
        var oldest = Environment.TickCount64;
        var retry = 0;
        while (true)
        {
            bool closing;
            lock (_gate)
            {
                if (_count == 0 && !_closed)
                {
                    _writerWaiting = true;
                    Monitor.Wait(_gate);
                    oldest = Environment.TickCount64;
                }

                if (_count == 0)
                {
                    if (!_closed)
                    {
                        continue;
                    }

                    return;
                }

                closing = _closed;
            }

            Sleep(retry > 0 ? Environment.TickCount64 + retry : oldest + (long)_options.CommitWindow.TotalMilliseconds);
            var expire = CheckSpace();
            if (expire is null && !closing)
            {
                retry = NextRetry(retry);
                continue;
            }

            var taken = Take(retry > 0 && !closing ? ProbeRows : CommitRows, out var emptied);
            if (emptied)
            {
                // Rows queued after the queue was emptied arrived after this moment.
                oldest = Environment.TickCount64;
            }

            // Shed while this thread slept: an empty commit would succeed on a full disk and clear the error that
            // the store's next batch meets again, so the fault would show only between two of those.
            if (taken == 0)
            {
                continue;
            }

            retry = Store(taken, expire == true, closing) ? 0 : NextRetry(retry);
        }
    }

    // Rows arriving meanwhile wait in the queue, so the reader never wakes this thread and the write lock stays free;
    // only Dispose ends the wait early.
    private void Sleep(long due)
    {
        var remaining = due - Environment.TickCount64;
        if (remaining > 0 && !_closing.IsSet)
        {
            _closing.Wait((int)remaining);
        }
    }

    private static int NextRetry(int retry) => retry == 0 ? FirstRetryMilliseconds : Math.Min(2 * retry, LastRetryMilliseconds);

    /// <summary>
    /// Reads the free space when a threshold is set: null when the batch must wait (keep_in_memory below it), true
    /// when it must first delete as many old rows (expire_oldest below it), false otherwise.
    /// </summary>
    private bool? CheckSpace()
    {
        if (_options.SpaceLeftBytes <= 0)
        {
            return false;
        }

        long free;
        try
        {
            free = new DriveInfo(_directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The batch itself will say what is wrong with the file system.
            return false;
        }

        Interlocked.Exchange(ref _freeBytes, free);
        _spaceLow = free < _options.SpaceLeftBytes;
        if (_spaceLow && _options.SpaceLeftAction == SpaceLeftAction.KeepInMemory)
        {
            _error = $"{_directory} has {free / (1024 * 1024)} MB free, below --database_space_left={_options.SpaceLeftBytes / (1024 * 1024)}; events wait in memory (--database_space_left_action=keep_in_memory)";
            return null;
        }

        return _spaceLow && _options.SpaceLeftAction == SpaceLeftAction.ExpireOldest;
    }

    /// <summary>Moves up to <paramref name="limit"/> rows from the head of the queue into the writer's batch.</summary>
    private int Take(int limit, out bool emptied)
    {
        lock (_gate)
        {
            var taken = Math.Min(limit, _count);
            for (var i = 0; i < taken; i++)
            {
                _batchTables[i] = _tables[_head];
                _batchRows[i] = _rows[_head];
                RemoveHead();
            }

            _inFlight = taken;
            emptied = _count == 0;
            return taken;
        }
    }

    /// <summary>Commits the batch; false when the store refused it for a fault worth retrying, the batch then back in the queue.</summary>
    private bool Store(int taken, bool expire, bool closing)
    {
        var writer = _store.Writer;
        try
        {
            var expired = expire ? DeleteOldest(writer, taken) : 0;
            for (var i = 0; i < taken; i++)
            {
                _options.Completion?.Complete(_batchTables[i]!, _batchRows[i]);
                writer.Append(_batchTables[i]!, _batchRows[i]);
            }

            writer.Commit();
            _error = null;
            Release(taken, ref _committed);
            Interlocked.Add(ref _expired, expired);
            return true;
        }
        catch (Exception e)
        {
            Rollback(writer);
            var transient = e is StoreException { IsTransient: true };
            _error = transient ? e.Message : $"{e.GetType().Name}: {e.Message}";
            if (!transient)
            {
                Release(taken, ref _droppedStoreError);
                return true;
            }

            Interlocked.Increment(ref _failures);
            if (closing)
            {
                DropAtStop(taken);
                return true;
            }

            PutBack(taken);
            return false;
        }
    }

    private int DeleteOldest(StoreWriter writer, int taken)
    {
        Array.Clear(_batchPerTable);
        for (var i = 0; i < taken; i++)
        {
            for (var t = 0; t < _storedTables.Count; t++)
            {
                if (ReferenceEquals(_storedTables[t], _batchTables[i]))
                {
                    _batchPerTable[t]++;
                    break;
                }
            }
        }

        var deleted = 0;
        for (var t = 0; t < _storedTables.Count; t++)
        {
            if (_batchPerTable[t] > 0)
            {
                deleted += writer.DeleteOldest(_storedTables[t], _batchPerTable[t]);
            }
        }

        return deleted;
    }

    private static void Rollback(StoreWriter writer)
    {
        try
        {
            writer.Rollback();
        }
        catch (StoreException)
        {
            // If even the rollback fails, the next attempt fails the same way until the store recovers.
        }
    }

    /// <summary>
    /// The batch is done with, stored or dropped whole: counts it in <paramref name="counter"/> and lets go of its rows.
    /// Drops owed to it are void: stored, its rows were not dropped; dropped, they are counted with the batch.
    /// </summary>
    private void Release(int taken, ref long counter)
    {
        lock (_gate)
        {
            Array.Clear(_batchTables, 0, taken);
            Array.Clear(_batchRows, 0, taken);
            (_inFlight, _owed) = (0, 0);
            counter += taken;
        }
    }

    // The batch goes back in front of the rows queued since, in its order, so it stays the oldest: the first dropped
    // if the queue fills, the first stored when the store works again. The drops it owes are made now, from its
    // oldest rows; the rest fit, as the reader counted them against the capacity while they were in flight.
    private void PutBack(int taken)
    {
        lock (_gate)
        {
            _droppedQueueFull += _owed;
            for (var i = taken - 1; i >= _owed; i--)
            {
                _head = (_head + _rows.Length - 1) % _rows.Length;
                _tables[_head] = _batchTables[i];
                _rows[_head] = _batchRows[i];
                _count++;
            }

            Array.Clear(_batchTables, 0, taken);
            Array.Clear(_batchRows, 0, taken);
            (_inFlight, _owed) = (0, 0);
        }
    }

    private void DropAtStop(int taken)
    {
        lock (_gate)
        {
            var queued = _count;
            while (_count > 0)
            {
                RemoveHead();
            }

            Release(taken, ref _droppedAtStop);
            _droppedAtStop += queued;
        }
    }

    private void RemoveHead()
    {
        _tables[_head] = null;
        _rows[_head] = null;
        _head = (_head + 1) % _rows.Length;
        _count--;
    }
}
