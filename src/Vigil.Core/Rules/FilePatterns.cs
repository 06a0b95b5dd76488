using System.Text.Json;

namespace Vigil.Rules;

/// <summary>
/// The config's <c>file_paths</c> and <c>exclude_paths</c> (categories of globs, osquery's wildcard rules): which paths
/// process_file_events reports, and the directories the kernel rules are scoped to. <c>%</c> (or <c>*</c>) matches
/// within one path level, <c>%%</c> (or <c>**</c>) across levels; a pattern ending in <c>/</c> means the entries of that
/// directory (<c>/%</c>); anything else is matched literally. A category's <c>exclude_paths</c> take paths out of that
/// category only, as in osquery's file_events.
/// </summary>
public sealed class FilePatterns
{
    private readonly List<Category> _categories;

    private FilePatterns(List<Category> categories, IReadOnlyList<string> roots)
    {
        _categories = categories;
        Roots = roots;
    }

    /// <summary>No pattern: nothing is watched.</summary>
    public static FilePatterns None { get; } = new([], []);

    /// <summary>
    /// The directories the kernel's <c>-F dir=</c> rules name: for each pattern, the directory before its first
    /// wildcard (a literal path's parent, since the file may be created or renamed there later), raised to the nearest
    /// one that exists now (the kernel refuses a rule on a missing path); a directory under another is left out.
    /// </summary>
    public IReadOnlyList<string> Roots { get; }

    /// <summary>Whether any pattern was given.</summary>
    public bool IsEmpty => _categories.Count == 0;

    /// <summary>
    /// Reads the raw JSON of <c>file_paths</c> and <c>exclude_paths</c> (either may be null). Throws
    /// <see cref="AuditExclusionException"/> naming the first entry that is not a list of absolute paths.
    /// </summary>
    public static FilePatterns Parse(string? filePathsJson, string? excludePathsJson)
    {
        var included = ReadCategories(filePathsJson, "file_paths");
        var excluded = ReadCategories(excludePathsJson, "exclude_paths");
        if (included.Count == 0)
        {
            return None;
        }

        var categories = new List<Category>(included.Count);
        var starts = new List<string>();
        foreach (var (name, patterns) in included)
        {
            categories.Add(new Category(patterns, excluded.TryGetValue(name, out var exclusions) ? exclusions : []));
            foreach (var pattern in patterns)
            {
                starts.Add(ExistingAncestor(FixedDirectory(pattern)));
            }
        }

        return new FilePatterns(categories, Outermost(starts));
    }

    /// <summary>Whether <paramref name="path"/> (absolute, normalized) is matched by a category and not excluded from it.</summary>
    public bool IsWatched(ReadOnlySpan<char> path)
    {
        foreach (var category in _categories)
        {
            if (MatchesAny(category.Patterns, path) && !MatchesAny(category.Exclusions, path))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the glob <paramref name="pattern"/> (osquery's rules, see the class) matches all of <paramref name="path"/>.</summary>
    public static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> path)
    {
        while (pattern.Length > 0)
        {
            var wildcard = pattern[0] is '%' or '*';
            if (!wildcard)
            {
                if (path.Length == 0 || path[0] != pattern[0])
                {
                    return false;
                }

                pattern = pattern[1..];
                path = path[1..];
                continue;
            }

            var recursive = pattern.Length > 1 && pattern[1] == pattern[0];
            var rest = pattern[(recursive ? 2 : 1)..];

            // Try every length the wildcard could take, shortest first; within one level it stops at a slash.
            for (var taken = 0; taken <= path.Length; taken++)
            {
                if (Matches(rest, path[taken..]))
                {
                    return true;
                }

                if (taken < path.Length && !recursive && path[taken] == '/')
                {
                    return false;
                }
            }

            return false;
        }

        return path.Length == 0;
    }

    private static bool MatchesAny(string[] patterns, ReadOnlySpan<char> path)
    {
        foreach (var pattern in patterns)
        {
            if (Matches(pattern, path))
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, string[]> ReadCategories(string? json, string key)
    {
        var categories = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return categories;
        }

        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new AuditExclusionException($"{key}: must be an object of categories, each a list of paths");
        }

        foreach (var category in doc.RootElement.EnumerateObject())
        {
            if (category.Value.ValueKind != JsonValueKind.Array)
            {
                throw new AuditExclusionException($"{key}.{category.Name}: must be a list of paths");
            }

            var patterns = new List<string>();
            foreach (var item in category.Value.EnumerateArray())
            {
                var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
                if (item.ValueKind != JsonValueKind.String || !text.StartsWith('/'))
                {
                    throw new AuditExclusionException($"{key}.{category.Name}: '{text}' is not an absolute path");
                }

                patterns.Add(text.EndsWith('/') ? text + "%" : text);
            }

            categories[category.Name] = [.. patterns];
        }

        return categories;
    }

    // The directory part of a pattern before its first wildcard; a literal path's parent.
    private static string FixedDirectory(string pattern)
    {
        var wildcard = pattern.AsSpan().IndexOfAny('%', '*');
        var fixedPart = wildcard < 0 ? pattern : pattern[..wildcard];
        var slash = fixedPart.LastIndexOf('/');
        return slash <= 0 ? "/" : fixedPart[..slash];
    }

    private static string ExistingAncestor(string directory)
    {
        var current = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        while (!Directory.Exists(current))
        {
            current = Path.GetDirectoryName(current) ?? "/";
        }

        return current;
    }

    private static List<string> Outermost(List<string> directories)
    {
        // Shorter first, so a directory is compared with every root that could hold it.
        directories.Sort((left, right) => left.Length != right.Length ? left.Length - right.Length : string.CompareOrdinal(left, right));
        var roots = new List<string>();
        foreach (var directory in directories)
        {
            if (!roots.Exists(root => IsUnder(directory, root)))
            {
                roots.Add(directory);
            }
        }

        roots.Sort(StringComparer.Ordinal);
        return roots;
    }

    private static bool IsUnder(string path, string root) =>
        path == root || root == "/" || (path.StartsWith(root, StringComparison.Ordinal) && path[root.Length] == '/');

    private sealed record Category(string[] Patterns, string[] Exclusions);
}
