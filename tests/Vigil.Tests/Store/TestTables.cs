using Vigil.Tables;

namespace Vigil.Tests.Store;

/// <summary>Small table specs shaped like osquery's (hidden eid TEXT, time, pid), independent of the real ones.</summary>
internal static class TestTables
{
    public static readonly TableSpec ProcessEvents = new("test_process_events", "Process events for tests.", isEventTable: true,
    [
        new ColumnSpec("pid", ColumnType.BigInt, "Process id"),
        new ColumnSpec("path", ColumnType.Text, "Path"),
        new ColumnSpec("cmdline", ColumnType.Text, "Command line"),
        new ColumnSpec("cmdline_size", ColumnType.BigInt, "Command line size", Hidden: true),
        new ColumnSpec("time", ColumnType.BigInt, "Time"),
        new ColumnSpec("eid", ColumnType.Text, "Event id", Hidden: true),
    ]);

    public static readonly TableSpec SocketEvents = new("test_socket_events", "Socket events for tests.", isEventTable: true,
    [
        new ColumnSpec("action", ColumnType.Text, "Action"),
        new ColumnSpec("pid", ColumnType.BigInt, "Process id"),
        new ColumnSpec("time", ColumnType.BigInt, "Time"),
        new ColumnSpec("eid", ColumnType.Text, "Event id", Hidden: true),
    ]);

    /// <summary>A process_events row; its eid cell is junk, which the store must ignore.</summary>
    public static ColumnValue[] ProcessRow(long pid, string path, long time) =>
    [
        ColumnValue.Of(pid),
        ColumnValue.Of(path),
        ColumnValue.Of(path + " --flag"),
        ColumnValue.Of(path.Length + 7),
        ColumnValue.Of(time),
        ColumnValue.Of("junk"),
    ];
}
