using Vigil.Sql;

namespace Vigil.Schedule;

/// <summary>
/// What osquery keeps per scheduled query name between runs (its <c>queries</c> database domain): the SQL last seen,
/// the epoch and counter of the last logged run, and the rows of the last run that the next differential is taken against.
/// </summary>
/// <param name="Sql">The statement text last stored for this name.</param>
/// <param name="Epoch">The <c>--schedule_epoch</c> of the stored results.</param>
/// <param name="Counter">The counter of the last logged run; null until one was stored.</param>
/// <param name="Results">The previous run's rows (empty for event queries, which keep no rows).</param>
public sealed record QueryState(string Sql, ulong Epoch, ulong? Counter, IReadOnlyList<ResultRow> Results);
