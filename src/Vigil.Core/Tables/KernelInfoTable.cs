namespace Vigil.Tables;

/// <summary>
/// osquery's <c>kernel_info</c> on Linux (osquery/tables/system/linux/kernel_info.cpp): the version is the third word
/// of /proc/version; /proc/cmdline gives the path (BOOT_IMAGE=), the device (root=) and the other arguments.
/// </summary>
public sealed class KernelInfoTable : ILiveTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Version = Columns.Add("version", ColumnType.Text, "Kernel version");
    private static readonly int Arguments = Columns.Add("arguments", ColumnType.Text, "Kernel arguments");
    private static readonly int KernelPath = Columns.Add("path", ColumnType.Text, "Kernel path");
    private static readonly int Device = Columns.Add("device", ColumnType.Text, "Kernel device identifier");

    /// <summary>specs/kernel_info.table.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("kernel_info", "Basic active kernel information.", isEventTable: false);

    private readonly string _proc;

    /// <summary>The table over this host's /proc.</summary>
    public KernelInfoTable()
        : this("/proc")
    {
    }

    /// <summary>The table over the cmdline and version files of <paramref name="proc"/>.</summary>
    internal KernelInfoTable(string proc)
    {
        _proc = proc;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        var row = OsqueryRow.Empty(Schema);
        if (HostFacts.ReadText(Path.Combine(_proc, "cmdline")) is { } cmdline)
        {
            var others = new List<string>();
            foreach (var argument in OsquerySplit.Split(cmdline, " "))
            {
                if (argument.StartsWith("BOOT_IMAGE=", StringComparison.Ordinal))
                {
                    row[KernelPath] = ColumnValue.Of(argument["BOOT_IMAGE=".Length..]);
                }
                else if (argument.StartsWith("root=", StringComparison.Ordinal))
                {
                    row[Device] = ColumnValue.Of(argument["root=".Length..]);
                }
                else
                {
                    others.Add(argument);
                }
            }

            row[Arguments] = ColumnValue.Of(string.Join(' ', others));
        }

        if (HostFacts.ReadText(Path.Combine(_proc, "version")) is { } signature)
        {
            var words = OsquerySplit.Split(signature, " ");
            if (words.Count > 2 && words[1] == "version")
            {
                row[Version] = ColumnValue.Of(words[2]);
            }
        }

        return [row];
    }
}
