using Vigil.Events;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>Reads auditd log files into a store: the same reassembly and rows as live collection, from the past.</summary>
public static class LogFileLoader
{
    /// <summary>
    /// Reads every file in order into <paramref name="writer"/> and commits. <paramref name="progress"/> is told
    /// after each file how many lines it had. An unreadable file throws with its path.
    /// </summary>
    public static IngestCounters Load(
        IReadOnlyList<string> paths,
        IngestOptions options,
        StoreWriter writer,
        Action<string, long>? progress = null,
        CancellationToken cancellation = default) =>
        Load(paths, options.LogFileTables(), writer, progress, cancellation);

    /// <summary>Reads every file in order into <paramref name="writer"/>, rows of <paramref name="tables"/> only, and commits.</summary>
    public static IngestCounters Load(
        IReadOnlyList<string> paths,
        IReadOnlyList<IEventTable> tables,
        StoreWriter writer,
        Action<string, long>? progress = null,
        CancellationToken cancellation = default)
    {
        var sink = new StoreRowSink(writer);
        var replay = Replay.ToRows(tables, sink);
        replay.ReadLogFiles(paths, progress, cancellation);
        sink.Commit();
        return replay.Counters;
    }
}
