namespace Vigil.Tables;

/// <summary>Supplies Vigil's collection counters to <see cref="AuditStatusTable"/> (the shell's or the daemon's collector).</summary>
public interface IAuditCounterSource
{
    /// <summary>The counters now; safe to call from any thread.</summary>
    AuditCounterValues ReadCounters();
}
