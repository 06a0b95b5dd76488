using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class SocketEventsTableTests
{
    private const string Python = "/usr/bin/python3.11";

    [Fact]
    public void Schema_is_osquerys_with_status_and_hidden_flags()
    {
        string[] expected =
        [
            "action", "pid", "path", "fd", "auid", "family", "protocol*", "local_address", "remote_address",
            "local_port", "remote_port", "socket*", "time", "uptime", "eid*", "success*", "status",
            "parent_path*", "parent_cmdline*", "session_id*", "tty*", "cgroup*", "container_id*",
        ];

        Assert.Equal(expected, SchemaText.Of(SocketEventsTable.Schema));
        Assert.Equal(ColumnType.Integer, SocketEventsTable.Schema.Columns[SocketEventsTable.Schema.IndexOf("local_port")].Type);
    }

    [Fact]
    public void Default_options_keep_successful_and_in_progress_inet_calls()
    {
        var rows = Rows(new SocketEventsOptions());

        // sockets.log in order: TCP v4 bind/connect/accept4, failed bind, refused connect, TCP v6 bind/connect/accept4,
        // UDP bind/connect, UDP v6 connect, unix bind/connect/accept4, non-blocking connect, abstract bind,
        // netlink bind, TCP v4 bind/connect/accept.
        Assert.Equal(
            [
                "bind 2 127.0.0.1:47101 - succeeded 4",
                "connect 2 - 127.0.0.1:47101 succeeded 5",
                "accept 2 - 127.0.0.1:57074 succeeded 4",
                "bind 10 ::1:47102 - succeeded 4",
                "connect 10 - ::1:47102 succeeded 5",
                "accept 10 - ::1:46404 succeeded 4",
                "bind 2 127.0.0.1:47103 - succeeded 4",
                "connect 2 - 127.0.0.1:47104 succeeded 4",
                "connect 10 - 2001:db8::12:0:1:47105 succeeded 4",
                "connect 2 - 192.0.2.7:47106 in_progress 4",
                "bind 2 127.0.0.1:47107 - succeeded 4",
                "connect 2 - 127.0.0.1:47107 succeeded 5",
                "accept 2 - 127.0.0.1:34272 succeeded 4",
            ],
            rows.Select(Summary));
    }

    [Fact]
    public void Failed_and_unix_calls_come_with_their_options_but_netlink_and_unnamed_peers_never()
    {
        var rows = Rows(new SocketEventsOptions { AllowFailed = true, AllowUnix = true });

        Assert.Equal(
            [
                "bind 2 127.0.0.1:47101 - succeeded 4",
                "connect 2 - 127.0.0.1:47101 succeeded 5",
                "accept 2 - 127.0.0.1:57074 succeeded 4",
                "bind 2 127.0.0.1:47101 - failed 5",
                "connect 2 - 127.0.0.1:47109 failed 4",
                "bind 10 ::1:47102 - succeeded 4",
                "connect 10 - ::1:47102 succeeded 5",
                "accept 10 - ::1:46404 succeeded 4",
                "bind 2 127.0.0.1:47103 - succeeded 4",
                "connect 2 - 127.0.0.1:47104 succeeded 4",
                "connect 10 - 2001:db8::12:0:1:47105 succeeded 4",
                "bind 1 /tmp/vigil-fixture/vigil.sock succeeded 4",
                "connect 1 /tmp/vigil-fixture/vigil.sock succeeded 5",
                "connect 2 - 192.0.2.7:47106 in_progress 4",
                "bind 1 @vigil-abstract succeeded 4",
                "bind 2 127.0.0.1:47107 - succeeded 4",
                "connect 2 - 127.0.0.1:47107 succeeded 5",
                "accept 2 - 127.0.0.1:34272 succeeded 4",
            ],
            rows.Select(Summary));
    }

    [Fact]
    public void Accepts_are_left_out_when_not_allowed()
    {
        var rows = Rows(new SocketEventsOptions { AllowAccept = false });

        Assert.Equal(10, rows.Count);
        Assert.DoesNotContain(rows, row => row.Text("action") == "accept");
    }

    [Fact]
    public void A_bind_fills_the_local_columns_and_every_other_column_as_osquery()
    {
        var row = Rows(new SocketEventsOptions())[0];

        Assert.Equal("bind", row.Text("action"));
        Assert.Equal(8151, row.Integer("pid"));
        Assert.Equal(Python, row.Text("path"));
        Assert.Equal("4", row.Text("fd"));
        Assert.Equal(4294967295, row.Integer("auid"));
        Assert.Equal(2, row.Integer("family"));
        Assert.Equal(0, row.Integer("protocol"));
        Assert.Equal("127.0.0.1", row.Text("local_address"));
        Assert.Equal(47101, row.Integer("local_port"));
        Assert.True(row.IsNull("remote_address"));
        Assert.Equal(0, row.Integer("remote_port"));
        Assert.True(row.IsNull("socket"));
        Assert.Equal(1795268023, row.Integer("time"));
        Assert.Equal(99, row.Integer("uptime"));
        Assert.Equal("", row.Text("eid"));
        Assert.Equal(1, row.Integer("success"));
        Assert.Equal("succeeded", row.Text("status"));
    }

    [Fact]
    public void A_connect_fills_the_remote_columns_and_a_refused_one_is_failed_with_success_0()
    {
        var rows = Rows(new SocketEventsOptions { AllowFailed = true });
        var refused = Assert.Single(rows, row => row["remote_port"].Integer == 47109);

        Assert.Equal("connect", refused.Text("action"));
        Assert.Equal("127.0.0.1", refused.Text("remote_address"));
        Assert.True(refused.IsNull("local_address"));
        Assert.Equal(0, refused.Integer("local_port"));
        Assert.Equal("failed", refused.Text("status"));
        Assert.Equal(0, refused.Integer("success"));

        var inProgress = Assert.Single(rows, row => row.Text("status") == "in_progress");
        Assert.Equal("192.0.2.7", inProgress.Text("remote_address"));
        Assert.Equal(1, inProgress.Integer("success"));
    }

    [Fact]
    public void A_unix_socket_names_its_path_in_the_socket_column_only()
    {
        var row = Assert.Single(Rows(new SocketEventsOptions { AllowUnix = true }), row => row.Text("socket") == "/tmp/vigil-fixture/vigil.sock" && row.Text("action") == "bind");

        Assert.Equal(1, row.Integer("family"));
        Assert.True(row.IsNull("local_address"));
        Assert.True(row.IsNull("remote_address"));
        Assert.Equal(0, row.Integer("local_port"));
    }

    private static List<TableRow> Rows(SocketEventsOptions options) =>
        TableFixture.Rows(new SocketEventsTable(options, ProcessContext.ForLogFiles(), new FixedUptime(99)), "sockets.log");

    /// <summary>action, family, local and remote end (or the unix path), status, fd.</summary>
    private static string Summary(TableRow row)
    {
        var ends = row.Integer("family") == 1
            ? row.Text("socket")
            : End(row, "local") + " " + End(row, "remote");
        return $"{row.Text("action")} {row.Integer("family")} {ends} {row.Text("status")} {row.Text("fd")}";
    }

    private static string End(TableRow row, string side) =>
        row.IsNull(side + "_address") ? "-" : $"{row.Text(side + "_address")}:{row.Integer(side + "_port")}";
}
