namespace Vigil.Tables;

/// <summary>One column of a table: declared once, everything else (DDL, .schema, JSON) derives from it.</summary>
public sealed record ColumnSpec(string Name, ColumnType Type, string Description, bool Hidden = false, bool Indexed = false);
