using System.Diagnostics;
using System.Runtime.InteropServices;
using Vigil.Platform;

namespace Vigil.Sql;

/// <summary>
/// The limits on SQL that came from a server, installed on an engine's read-only connection: an authorizer that
/// allows reading and calling functions only (as osquery's, no ATTACH, no writes to any table, temporary ones
/// included, no schema change, no PRAGMA, no <c>load_extension</c>), values no longer than the budget's bytes
/// (SQLite's length limit, so <c>randomblob(1e9)</c> fails instead of allocating), and the time budget, past which
/// SQLite's progress handler interrupts the statement.
/// </summary>
internal sealed unsafe class RemoteSqlGuard : IDisposable
{
    private const int SqliteRead = 20;
    private const int SqliteSelect = 21;
    private const int SqliteFunction = 31;
    private const int SqliteRecursive = 33;
    private const int ProgressInstructions = 1000;

    private readonly IntPtr _db;
    private GCHandle _self;
    private long _deadline = long.MaxValue;

    public RemoteSqlGuard(IntPtr db, QueryBudget budget)
    {
        _db = db;
        Budget = budget;
        _self = GCHandle.Alloc(this);
        SqliteNative.sqlite3_set_authorizer(db, &Authorize, IntPtr.Zero);
        SqliteNative.sqlite3_limit(db, SqliteNative.SQLITE_LIMIT_LENGTH, (int)Math.Clamp(budget.MaxBytes, 1, int.MaxValue));
        SqliteNative.sqlite3_progress_handler(db, ProgressInstructions, &Progress, GCHandle.ToIntPtr(_self));
    }

    public QueryBudget Budget { get; }

    /// <summary>Whether the statement running was interrupted by the time budget.</summary>
    public bool TimedOut { get; private set; }

    /// <summary>Starts the time budget of one query.</summary>
    public void Start()
    {
        TimedOut = false;
        _deadline = Stopwatch.GetTimestamp() + (long)(Budget.Time.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Ends it.</summary>
    public void Stop() => _deadline = long.MaxValue;

    public void Dispose()
    {
        SqliteNative.sqlite3_progress_handler(_db, 0, null, IntPtr.Zero);
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static int Authorize(IntPtr userData, int action, byte* first, byte* second, byte* database, byte* trigger) => action switch
    {
        SqliteRead or SqliteSelect or SqliteRecursive => SqliteNative.SQLITE_OK,
        SqliteFunction when !IsLoadExtension(second) => SqliteNative.SQLITE_OK,
        _ => SqliteNative.SQLITE_DENY,
    };

    // For SQLITE_FUNCTION the function's name is the second argument.
    private static bool IsLoadExtension(byte* name) =>
        name != null && "load_extension"u8.SequenceEqual(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name));

    [UnmanagedCallersOnly]
    private static int Progress(IntPtr userData)
    {
        var guard = (RemoteSqlGuard)GCHandle.FromIntPtr(userData).Target!;
        if (Stopwatch.GetTimestamp() <= guard._deadline)
        {
            return 0;
        }

        guard.TimedOut = true;
        return 1;
    }
}
