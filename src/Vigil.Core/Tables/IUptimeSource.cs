namespace Vigil.Tables;

/// <summary>Seconds since boot, for the <c>uptime</c> column of the event tables (injectable so tests are exact).</summary>
public interface IUptimeSource
{
    long GetUptimeSeconds();
}
