namespace Vigil.Cli.Shell;

/// <summary>One statement's result: its column names and its rows as text, with null for SQL NULL.</summary>
/// <remarks>A statement that returns no columns (DDL, INSERT) has an empty <see cref="Columns"/> and prints nothing.</remarks>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows);
