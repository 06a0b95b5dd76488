using Vigil.Sql;

namespace Vigil.Schedule;

/// <summary>What one run of a statement returned.</summary>
/// <param name="Rows">The rows of its last statement with columns, in osquery's shape.</param>
/// <param name="EventBased">True when the statement read an event table, so the scheduler logs new rows without a differential.</param>
public sealed record QueryRun(IReadOnlyList<ResultRow> Rows, bool EventBased = false);
