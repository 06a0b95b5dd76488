namespace Vigil.Cli.Shell;

/// <summary>How the shell prints a result, as osqueryi's modes of the same names.</summary>
public enum OutputMode
{
    /// <summary>A +---+ boxed table with a header; nothing for an empty result.</summary>
    Pretty,

    /// <summary>A JSON array with one object per row, every value a string.</summary>
    Json,

    /// <summary>A header line, then one line per row, fields separated by '|'.</summary>
    Csv,

    /// <summary>One <c>column = value</c> line per column, a blank line between rows.</summary>
    Line,
}
