using Vigil.Flags;
using Vigil.Bpf;
using Vigil.Rules;
using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>
/// What the flags ask of the BPF backend: osquery's <c>--enable_bpf_events</c> (the bpf_* tables) and Vigil's
/// <c>--event_source=bpf</c> (process_events and socket_events from BPF instead of audit), with the buffer sizes.
/// </summary>
public sealed class BpfCollectorOptions
{
    /// <summary>Fill bpf_process_events and bpf_socket_events.</summary>
    public bool BpfTables { get; init; }

    /// <summary>Fill process_events from BPF.</summary>
    public bool ProcessEvents { get; init; }

    /// <summary>Fill socket_events from BPF.</summary>
    public bool SocketEvents { get; init; }

    /// <summary>Fill process_file_events from BPF (<c>--audit_allow_fim_events</c> with the BPF source).</summary>
    public bool FileEvents { get; init; }

    /// <summary>The config's file_paths and the FIM flags, shared with the ingest options a config reload updates.</summary>
    public ProcessFileEventsOptions Files { get; init; } = new();

    public SocketEventsOptions Sockets { get; init; } = new();

    public RedactionPatterns? Redaction { get; init; }

    /// <summary>How the store queue behind the collector bounds itself (the store space flags).</summary>
    public StoreQueueOptions? Store { get; init; }

    public IReadOnlyList<AuditExclusion> Exclusions { get; init; } = [];

    /// <summary>osquery's <c>--bpf_perf_event_array_exp</c>.</summary>
    public long PerfEventArrayExp { get; init; } = 10;

    /// <summary>osquery's <c>--bpf_buffer_storage_size</c>.</summary>
    public long BufferStorageSize { get; init; } = 512;

    /// <summary>Whether anything asks for BPF at all.</summary>
    public bool Enabled => BpfTables || ProcessEvents || SocketEvents || FileEvents;

    /// <summary>
    /// Reads the BPF flags. <paramref name="ingest"/> gives the audit allow flags, filters, redaction and exclusions,
    /// which mean the same for process_events and socket_events whichever source feeds them.
    /// </summary>
    public static BpfCollectorOptions FromFlags(FlagValues flags, IngestOptions ingest)
    {
        var bpfSource = !flags.Get(VigilFlags.DisableAudit) && flags.Get(VigilFlags.EventSource) == "bpf";
        return new BpfCollectorOptions
        {
            BpfTables = flags.Get(VigilFlags.EnableBpfEvents),
            ProcessEvents = bpfSource && ingest.ProcessEvents,
            SocketEvents = bpfSource && ingest.SocketEvents,
            FileEvents = bpfSource && ingest.FileEvents,
            Files = ingest.Files,
            Sockets = ingest.Sockets,
            Redaction = ingest.Redaction,
            Store = ingest.Store,
            Exclusions = ingest.Exclusions,
            PerfEventArrayExp = flags.Get(VigilFlags.BpfPerfEventArrayExp),
            BufferStorageSize = flags.Get(VigilFlags.BpfBufferStorageSize),
        };
    }

    /// <summary>The row builders for the tables BPF feeds.</summary>
    public IReadOnlyList<IBpfEventTable> Tables()
    {
        var tables = new List<IBpfEventTable>(4);
        if (BpfTables)
        {
            tables.Add(new BpfProcessEventsTable());
            tables.Add(new BpfSocketEventsTable());
        }

        if (ProcessEvents || SocketEvents)
        {
            var context = ProcessContext.Live();
            if (ProcessEvents)
            {
                tables.Add(new BpfProcessEventsRows(context));
            }

            if (SocketEvents)
            {
                tables.Add(new BpfSocketEventsRows(Sockets, context));
            }
        }

        if (FileEvents)
        {
            tables.Add(new BpfProcessFileEventsRows(Files));
        }

        return tables;
    }

    /// <summary>The load options: the kinds of event those tables need, the sizes, the exclusions.</summary>
    public BpfLoadOptions LoadOptions()
    {
        var kinds = 0u;
        if (BpfTables || ProcessEvents)
        {
            kinds |= BpfLoadOptions.Bit(BpfEventKind.Execve) | BpfLoadOptions.Bit(BpfEventKind.Execveat);
        }

        if (BpfTables)
        {
            kinds |= BpfLoadOptions.Bit(BpfEventKind.Exit) | BpfLoadOptions.Bit(BpfEventKind.Listen);
        }

        if (BpfTables || SocketEvents)
        {
            kinds |= BpfLoadOptions.Bit(BpfEventKind.Connect) | BpfLoadOptions.Bit(BpfEventKind.Bind);
        }

        if (BpfTables || (SocketEvents && Sockets.AllowAccept))
        {
            kinds |= BpfLoadOptions.Bit(BpfEventKind.Accept) | BpfLoadOptions.Bit(BpfEventKind.Accept4);
        }

        if (FileEvents)
        {
            kinds |= BpfLoadOptions.Bit(BpfEventKind.File);
        }

        var cpus = Environment.ProcessorCount;
        return new BpfLoadOptions
        {
            KindMask = kinds,
            FileOptions = (Files.ShowAccesses ? BpfLoadOptions.ReportReads : 0) | (Files.ShowPartial ? BpfLoadOptions.ReportPartial : 0)
                | (Files.ShowDescriptors ? BpfLoadOptions.ReportDescriptors : 0),
            WatchedDirectories = FileEvents ? Files.Patterns.Roots : [],
            RingBufferBytes = BpfLoadOptions.RingBufferBytesFor(PerfEventArrayExp, cpus),
            InflightEntries = BpfLoadOptions.InflightEntriesFor(BufferStorageSize, cpus),
            Exclusions = BpfExclusions.Build(Exclusions),
        };
    }
}
