using Vigil.Logging;
using Vigil.Sql;

namespace Vigil.Schedule;

/// <summary>
/// osquery's per-name result bookkeeping (<c>Query::addNewResults</c> and <c>addNewEvents</c> in osquery/core/query.cpp):
/// decides whether a run starts a new epoch, computes its differential and counter, and saves the state for the next run.
/// </summary>
public sealed class DifferentialResults
{
    private readonly IResultStore _store;
    private readonly IStatusLog _status;

    /// <summary>Creates the bookkeeping over a store; status lines go to <paramref name="status"/>.</summary>
    public DifferentialResults(IResultStore store, IStatusLog status)
    {
        _store = store;
        _status = status;
    }

    /// <summary>
    /// The differential of a full (non-event) query. The first run of a name, or the first run in a new epoch, adds every row
    /// with counter 0; later runs diff against the saved rows and count up only when something changed.
    /// </summary>
    /// <returns>The differential and the counter to log; a null counter means nothing changed and nothing is logged.</returns>
    public (ResultDiff Diff, ulong? Counter) AddNewResults(string name, string sql, IReadOnlyList<ResultRow> current, ulong epoch)
    {
        var state = _store.Get(name);
        bool newEpoch = IsNewEpoch(name, sql, epoch, state);

        ResultDiff diff = newEpoch || state is null ? new ResultDiff(current, []) : ResultDiff.Compute(state.Results, current);
        bool changed = !diff.IsEmpty;
        if (!changed && !newEpoch)
        {
            if (state is not null && state.Sql != sql)
            {
                _store.Set(name, state with { Sql = sql });
            }

            return (diff, null);
        }

        // A reset that carries every row starts at 0, so consumers can tell a full result set from a differential.
        ulong counter = newEpoch ? 0 : NextCounter(state);
        _store.Set(name, new QueryState(sql, epoch, counter, current));
        return (diff, counter);
    }

    /// <summary>
    /// The rows of an event query are all new events: every row is added, nothing is kept for a differential. A new epoch
    /// starts the counter at 1, since the rows are not a full result set; a run without rows does not count.
    /// </summary>
    /// <returns>The differential and the counter to log; a null counter means there were no rows and nothing is logged.</returns>
    public (ResultDiff Diff, ulong? Counter) AddNewEvents(string name, string sql, IReadOnlyList<ResultRow> current, ulong epoch)
    {
        var state = _store.Get(name);
        bool newEpoch = IsNewEpoch(name, sql, epoch, state);
        if (current.Count == 0)
        {
            if (newEpoch || state is null)
            {
                _store.Set(name, new QueryState(sql, epoch, null, []));
            }
            else if (state.Sql != sql)
            {
                _store.Set(name, state with { Sql = sql });
            }

            return (ResultDiff.Empty, null);
        }

        // osquery reads a missing counter as 0 outside a reset: an event query whose first run had no rows logs counter 0 later.
        ulong counter = newEpoch ? 1 : NextCounter(state);
        _store.Set(name, new QueryState(sql, epoch, counter, []));
        return (new ResultDiff(current, []), counter);
    }

    private static ulong NextCounter(QueryState? state) => state?.Counter is ulong c ? c + 1 : 0;

    private bool IsNewEpoch(string name, string sql, ulong epoch, QueryState? state)
    {
        if (state is null)
        {
            _status.Info($"Storing initial results for new scheduled query: {name}");
            return true;
        }

        if (state.Epoch != epoch)
        {
            _status.Info($"New Epoch {epoch} for scheduled query {name}");
            return true;
        }

        if (state.Sql != sql)
        {
            // osquery notes the change but keeps diffing against the old rows and counting on.
            _status.Info($"Scheduled query has been updated: {name}");
        }

        return false;
    }
}
