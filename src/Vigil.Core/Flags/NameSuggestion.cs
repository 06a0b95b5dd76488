namespace Vigil.Flags;

/// <summary>Finds the known name a mistyped one was most likely meant to be.</summary>
public static class NameSuggestion
{
    /// <summary>The candidate closest to <paramref name="typed"/> by edit distance, or null when none is close enough.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var limit = Math.Max(2, typed.Length / 4);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(typed, candidate);
            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions each cost one.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
