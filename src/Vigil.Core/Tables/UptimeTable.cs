namespace Vigil.Tables;

/// <summary>osquery's <c>uptime</c>: time since boot as sysinfo(2) counts it (suspend included), split into days to seconds.</summary>
public sealed class UptimeTable : ILiveTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Days = Columns.Add("days", ColumnType.Integer, "Days of uptime");
    private static readonly int Hours = Columns.Add("hours", ColumnType.Integer, "Hours of uptime");
    private static readonly int Minutes = Columns.Add("minutes", ColumnType.Integer, "Minutes of uptime");
    private static readonly int Seconds = Columns.Add("seconds", ColumnType.Integer, "Seconds of uptime");
    private static readonly int TotalSeconds = Columns.Add("total_seconds", ColumnType.BigInt, "Total uptime seconds");

    /// <summary>specs/uptime.table.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("uptime", "Track time passed since last boot. Some systems track this as calendar time, some as runtime.", isEventTable: false);

    private readonly IUptimeSource _uptime;

    /// <summary>The table over CLOCK_BOOTTIME.</summary>
    public UptimeTable()
        : this(BootTimeUptime.Instance)
    {
    }

    /// <summary>The table over <paramref name="uptime"/>.</summary>
    public UptimeTable(IUptimeSource uptime)
    {
        _uptime = uptime;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        var total = _uptime.GetUptimeSeconds();
        var row = new ColumnValue[Schema.Columns.Count];
        row[Days] = ColumnValue.Of(total / 86400);
        row[Hours] = ColumnValue.Of(total / 3600 % 24);
        row[Minutes] = ColumnValue.Of(total / 60 % 60);
        row[Seconds] = ColumnValue.Of(total % 60);
        row[TotalSeconds] = ColumnValue.Of(total);
        return [row];
    }
}
