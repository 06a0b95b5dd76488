using Vigil.Flags;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>osquery_flags</c> (osquery/tables/utility/osquery.cpp genOsqueryFlags) over Vigil's own flags: each
/// definition with its type, default and the value this process runs with. Flags hold paths and names, never a secret
/// itself (the enroll secret is read from its file or variable, which this table does not open).
/// </summary>
public sealed class OsqueryFlagsTable : ILiveTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Name = Columns.Add("name", ColumnType.Text, "Flag name");
    private static readonly int Type = Columns.Add("type", ColumnType.Text, "Flag type");
    private static readonly int Description = Columns.Add("description", ColumnType.Text, "Flag description");
    private static readonly int DefaultValue = Columns.Add("default_value", ColumnType.Text, "Flag default value");
    private static readonly int Value = Columns.Add("value", ColumnType.Text, "Flag value");
    private static readonly int ShellOnly = Columns.Add("shell_only", ColumnType.Integer, "Is the flag shell only?");

    /// <summary>specs/utility/osquery_flags.table.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("osquery_flags", "Configurable flags that modify osquery's behavior.", isEventTable: false, utility: true);

    private readonly IReadOnlyList<FlagDefinition> _definitions;
    private readonly FlagValues _values;

    /// <summary>The table of <paramref name="definitions"/> with the values of <paramref name="values"/>.</summary>
    public OsqueryFlagsTable(IReadOnlyList<FlagDefinition> definitions, FlagValues values)
    {
        _definitions = definitions;
        _values = values;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        foreach (var flag in _definitions)
        {
            var row = new ColumnValue[Schema.Columns.Count];
            row[Name] = ColumnValue.Of(flag.Name);
            row[Type] = ColumnValue.Of(TypeName(flag.Kind));
            row[Description] = ColumnValue.Of(flag.Description);
            row[DefaultValue] = ColumnValue.Of(flag.DefaultText);
            row[Value] = ColumnValue.Of(_values.GetText(flag));
            row[ShellOnly] = ColumnValue.Of(flag.ShellOnly ? 1 : 0);
            yield return row;
        }
    }

    /// <summary>The gflags type osquery names: bool, uint64 for Vigil's non-negative integers, string otherwise.</summary>
    private static string TypeName(FlagKind kind) => kind switch
    {
        FlagKind.Bool => "bool",
        FlagKind.Int => "uint64",
        _ => "string",
    };
}
