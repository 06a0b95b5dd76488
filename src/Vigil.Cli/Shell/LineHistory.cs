namespace Vigil.Cli.Shell;

/// <summary>Lines entered before, oldest first, kept to a maximum and stored one per line in a file.</summary>
public sealed class LineHistory(int capacity = 1000)
{
    private readonly List<string> _entries = [];

    /// <summary>The entries, oldest first.</summary>
    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Adds a line unless it is blank or repeats the newest entry.</summary>
    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || (_entries.Count > 0 && _entries[^1] == line))
        {
            return;
        }

        _entries.Add(line);
        if (_entries.Count > capacity)
        {
            _entries.RemoveRange(0, _entries.Count - capacity);
        }
    }

    /// <summary>Adds the lines of <paramref name="path"/> when it exists; an unreadable file just means no history.</summary>
    public void Load(string path)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                Add(line);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // History is a convenience; a shell without it still works.
        }
    }

    /// <summary>Writes the entries to <paramref name="path"/>; failure to write is not an error of the shell.</summary>
    public void Save(string path)
    {
        try
        {
            File.WriteAllLines(path, _entries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Same as Load: losing history must not turn a good session into a failed one.
        }
    }
}
