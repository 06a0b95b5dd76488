namespace Vigil.Bpf;

/// <summary>The BPF programs' own counters (enum vigil_counter), summed over the CPUs.</summary>
/// <param name="Sent">Records written into the ring buffer.</param>
/// <param name="Lost">Records the ring buffer had no room for: lost.</param>
/// <param name="Excluded">Events an <c>audit.exclude</c> entry kept in the kernel.</param>
/// <param name="Truncated">Records with a path, the arguments or an address cut at its bound.</param>
/// <param name="Missed">Socket calls whose entry had been pushed out of the in-flight table, so never reported.</param>
public readonly record struct BpfKernelCounters(long Sent, long Lost, long Excluded, long Truncated, long Missed);
