using System.Numerics;

namespace Vigil.Bpf;

/// <summary>What the BPF programs are loaded for: the kinds of event wanted, the buffer sizes and the exclusions.</summary>
public sealed class BpfLoadOptions
{
    /// <summary>VIGIL_MAX_EXCLUSIONS: the exclusion map's capacity.</summary>
    public const int MaxExclusions = 1024;

    /// <summary>VIGIL_MAX_WATCHED: the watched-directory trie's capacity.</summary>
    public const int MaxWatched = 256;

    /// <summary>VIGIL_FILE_REPORT_READS: the first read through each watched open file is reported.</summary>
    public const uint ReportReads = 1;

    /// <summary>VIGIL_FILE_REPORT_PARTIAL: files opened before the programs saw them are looked at on their first use.</summary>
    public const uint ReportPartial = 2;

    /// <summary>VIGIL_FILE_REPORT_DESCRIPTORS: writes, ftruncates and closes through watched open files are reported.</summary>
    public const uint ReportDescriptors = 4;

    private const int PageSize = 4096;

    /// <summary>The kinds of event reported, a bit (1 &lt;&lt; kind) each.</summary>
    public uint KindMask { get; init; }

    /// <summary>The ring buffer's size in bytes: a power of two, a multiple of the page size.</summary>
    public uint RingBufferBytes { get; init; } = 1u << 22;

    /// <summary>Syscalls that may be between their entry and exit at once (the in-flight table's capacity).</summary>
    public uint InflightEntries { get; init; } = 4096;

    /// <summary>The process whose events are never reported: Vigil's own.</summary>
    public uint SelfPid { get; init; } = (uint)Environment.ProcessId;

    /// <summary>VIGIL_FILE_REPORT_* for the file records.</summary>
    public uint FileOptions { get; init; }

    /// <summary>The directories whose files the file records report (the roots of the config's file_paths).</summary>
    public IReadOnlyList<string> WatchedDirectories { get; init; } = [];

    /// <summary>The exclusion map's entries: which kinds each selector combination excludes.</summary>
    public IReadOnlyList<(BpfExclusionKey Key, uint Kinds)> Exclusions { get; init; } = [];

    /// <summary>A bit (1 &lt;&lt; selectors) for each selector combination some entry uses: the lookups the programs make.</summary>
    public uint SelectorSets => SelectorSetsOf(Exclusions);

    /// <summary>The selector combinations <paramref name="exclusions"/> use, a bit each.</summary>
    public static uint SelectorSetsOf(IReadOnlyList<(BpfExclusionKey Key, uint Kinds)> exclusions)
    {
        var sets = 0u;
        foreach (var (key, _) in exclusions)
        {
            sets |= 1u << (int)key.Selectors;
        }

        return sets;
    }

    /// <summary>The bit of <paramref name="kind"/> in <see cref="KindMask"/>.</summary>
    public static uint Bit(BpfEventKind kind) => 1u << (int)kind;

    /// <summary>Whether events of <paramref name="kind"/> are reported.</summary>
    public bool Wants(BpfEventKind kind) => (KindMask & Bit(kind)) != 0;

    /// <summary>
    /// The ring buffer for osquery's <c>--bpf_perf_event_array_exp</c>: osquery gave each CPU a perf buffer of
    /// 2^exp pages; Vigil's one ring buffer is shared, so it gets that much for every CPU, rounded up to a power of two.
    /// </summary>
    public static uint RingBufferBytesFor(long exponent, int cpus)
    {
        var bytes = exponent is >= 0 and <= 20 ? ((ulong)PageSize << (int)exponent) * BitOperations.RoundUpToPowerOf2((uint)Math.Max(cpus, 1)) : ulong.MaxValue;
        return bytes <= 1u << 30
            ? (uint)bytes
            : throw new BpfException($"--bpf_perf_event_array_exp={exponent} asks for more than a 1 GiB ring buffer on {cpus} CPUs");
    }

    /// <summary>
    /// The in-flight table for osquery's <c>--bpf_buffer_storage_size</c>: osquery kept that many slots per CPU for
    /// the arguments of syscalls under way; Vigil keeps as many in-flight syscalls per CPU.
    /// </summary>
    public static uint InflightEntriesFor(long slots, int cpus)
    {
        if (slots is < 1 or > 1 << 20)
        {
            throw new BpfException($"--bpf_buffer_storage_size={slots} must be between 1 and 1048576");
        }

        return checked((uint)slots * (uint)Math.Max(cpus, 1));
    }
}
