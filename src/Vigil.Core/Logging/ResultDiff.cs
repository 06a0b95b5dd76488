using Vigil.Sql;

namespace Vigil.Logging;

/// <summary>The rows a run added and removed against the previous run, compared as multisets of rows.</summary>
/// <param name="Added">Current rows without a matching previous row, in the current run's order.</param>
/// <param name="Removed">Previous rows without a matching current row, in row order (osquery walks what is left of a <c>std::multiset</c>).</param>
public sealed record ResultDiff(IReadOnlyList<ResultRow> Added, IReadOnlyList<ResultRow> Removed)
{
    /// <summary>A differential with nothing in it.</summary>
    public static ResultDiff Empty { get; } = new([], []);

    /// <summary>True when neither rows were added nor removed.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0;

    /// <summary>Each current row consumes one equal previous row; what remains on either side is added or removed.</summary>
    public static ResultDiff Compute(IReadOnlyList<ResultRow> previous, IReadOnlyList<ResultRow> current)
    {
        var left = new SortedDictionary<ResultRow, int>();
        foreach (var row in previous)
        {
            left[row] = left.GetValueOrDefault(row) + 1;
        }

        var added = new List<ResultRow>();
        foreach (var row in current)
        {
            if (left.TryGetValue(row, out int n))
            {
                if (n == 1)
                {
                    left.Remove(row);
                }
                else
                {
                    left[row] = n - 1;
                }
            }
            else
            {
                added.Add(row);
            }
        }

        var removed = new List<ResultRow>();
        foreach (var (row, n) in left)
        {
            for (int i = 0; i < n; i++)
            {
                removed.Add(row);
            }
        }

        return new ResultDiff(added, removed);
    }
}
