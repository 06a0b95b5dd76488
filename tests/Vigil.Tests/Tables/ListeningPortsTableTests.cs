using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Vigil.Tables;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class ListeningPortsTableTests
{
    [Fact]
    public void Schema_is_osquerys_with_the_linux_column()
    {
        Assert.Equal(["pid", "port", "protocol", "family", "address", "fd", "socket", "path", "net_namespace"], SchemaText.Of(ListeningPortsTable.Schema));
    }

    [Fact]
    public void This_processs_tcp_udp_and_unix_listeners_are_listed_with_their_descriptors()
    {
        using var directory = new TempDirectory();
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        tcp.Listen();
        using var udp6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        udp6.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        using var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var path = directory.File("listener.sock");
        unix.Bind(new UnixDomainSocketEndPoint(path));
        unix.Listen();
        using var connected = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        connected.Connect(tcp.LocalEndPoint!);

        var rows = new ListeningPortsTable().Generate().Select(values => new TableRow(ListeningPortsTable.Schema, values)).ToList();

        var pid = Environment.ProcessId;
        Assert.Contains(rows, row => Is(row, pid, tcp, ((IPEndPoint)tcp.LocalEndPoint!).Port, 6, 2, "127.0.0.1", string.Empty));
        Assert.Contains(rows, row => Is(row, pid, udp6, ((IPEndPoint)udp6.LocalEndPoint!).Port, 17, 10, "::1", string.Empty));
        Assert.Contains(rows, row => row.Integer("pid") == pid && row.Integer("fd") == (long)unix.Handle && row.Text("path") == path
            && row.Integer("family") == 1 && row.Integer("port") == 0 && row.Integer("socket") == 0 && row.Integer("protocol") == 0 && row.Text("address") == string.Empty);

        // A connected socket has a remote port, so it is not listening.
        Assert.DoesNotContain(rows, row => row.Integer("socket") == Inode(connected));
    }

    private static bool Is(TableRow row, int pid, Socket socket, int port, int protocol, int family, string address, string path) =>
        row.Integer("pid") == pid && row.Integer("fd") == (long)socket.Handle && row.Integer("socket") == Inode(socket)
        && row.Integer("port") == port && row.Integer("protocol") == protocol && row.Integer("family") == family
        && row.Text("address") == address && row.Text("path") == path
        && row.Text("net_namespace") is { } netns && (netns == "0" || netns == NetNamespace());

    private static long Inode(Socket socket)
    {
        var link = new FileInfo($"/proc/self/fd/{(long)socket.Handle}").LinkTarget!;
        return long.Parse(link["socket:[".Length..^1], CultureInfo.InvariantCulture);
    }

    private static string NetNamespace()
    {
        var link = new FileInfo("/proc/self/ns/net").LinkTarget ?? "net:[0]";
        return link["net:[".Length..^1];
    }
}
