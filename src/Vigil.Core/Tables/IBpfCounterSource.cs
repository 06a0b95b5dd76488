namespace Vigil.Tables;

/// <summary>Supplies the BPF collection's counters to <see cref="BpfStatusTable"/>.</summary>
public interface IBpfCounterSource
{
    /// <summary>The counters now; safe to call from any thread.</summary>
    BpfCounterValues ReadCounters();
}
