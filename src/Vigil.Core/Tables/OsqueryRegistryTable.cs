namespace Vigil.Tables;

/// <summary>
/// osquery's <c>osquery_registry</c> (osquery/tables/utility/osquery.cpp genOsqueryRegistry): Vigil's plugins by
/// registry (config, logger, table) in osquery's order, registry then plugin name. Fleet's discovery queries look a
/// table up here before they query it.
/// </summary>
public sealed class OsqueryRegistryTable : ILiveTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Registry = Columns.Add("registry", ColumnType.Text, "Name of the osquery registry");
    private static readonly int Name = Columns.Add("name", ColumnType.Text, "Name of the plugin item");
    private static readonly int OwnerUuid = Columns.Add("owner_uuid", ColumnType.Integer, "Extension route UUID (0 for core)");
    private static readonly int Internal = Columns.Add("internal", ColumnType.Integer, "1 If the plugin is internal else 0");
    private static readonly int Active = Columns.Add("active", ColumnType.Integer, "1 If this plugin is active else 0");

    /// <summary>specs/utility/osquery_registry.table.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("osquery_registry", "List the osquery registry plugins.", isEventTable: false, utility: true);

    private readonly Func<IEnumerable<RegistryPlugin>> _plugins;

    /// <summary>The table of the plugins <paramref name="plugins"/> lists when queried.</summary>
    public OsqueryRegistryTable(Func<IEnumerable<RegistryPlugin>> plugins)
    {
        _plugins = plugins;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        var plugins = new List<RegistryPlugin>(_plugins());
        plugins.Sort(static (a, b) => string.CompareOrdinal(a.Registry, b.Registry) is var order and not 0 ? order : string.CompareOrdinal(a.Name, b.Name));
        foreach (var plugin in plugins)
        {
            var row = new ColumnValue[Schema.Columns.Count];
            row[Registry] = ColumnValue.Of(plugin.Registry);
            row[Name] = ColumnValue.Of(plugin.Name);
            row[OwnerUuid] = ColumnValue.Of(0);
            row[Internal] = ColumnValue.Of(plugin.Internal ? 1 : 0);
            row[Active] = ColumnValue.Of(plugin.Active ? 1 : 0);
            yield return row;
        }
    }
}

/// <summary>One plugin of a registry; internal ones are osquery's own utility tables.</summary>
public sealed record RegistryPlugin(string Registry, string Name, bool Internal, bool Active);
