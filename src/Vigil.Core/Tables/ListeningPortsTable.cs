using System.Buffers.Binary;
using System.Globalization;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>listening_ports</c> on Linux (osquery/tables/networking/listening_ports.cpp over its
/// process_open_sockets): the sockets of every network namespace a process is in, read from /proc/PID/net of the first
/// process met in each, that are bound but not connected (remote port 0), and unix sockets that have a path. Each is
/// given the process and descriptor that hold it (found in /proc/PID/fd), or -1 when none does.
/// </summary>
public sealed class ListeningPortsTable : ILiveTable
{
    private const int AfUnix = 1;
    private const int AfInet = 2;
    private const int AfInet6 = 10;
    private const int AfPacket = 17;

    // kLinuxProtocolNames in osquery's order (by protocol number): ICMP, TCP, UDP, UDPLITE, RAW.
    private static readonly (int Protocol, string File)[] InetFiles = [(1, "icmp"), (6, "tcp"), (17, "udp"), (136, "udplite"), (255, "raw")];

    private static readonly TableColumns Columns = new();

    private static readonly int Pid = Columns.Add("pid", ColumnType.Integer, "Process (or thread) ID");
    private static readonly int Port = Columns.Add("port", ColumnType.Integer, "Transport layer port");
    private static readonly int Protocol = Columns.Add("protocol", ColumnType.Integer, "Transport protocol (TCP/UDP)");
    private static readonly int Family = Columns.Add("family", ColumnType.Integer, "Network protocol (IPv4, IPv6)");
    private static readonly int Address = Columns.Add("address", ColumnType.Text, "Specific address for bind");
    private static readonly int Fd = Columns.Add("fd", ColumnType.BigInt, "Socket file descriptor number");
    private static readonly int Socket = Columns.Add("socket", ColumnType.BigInt, "Socket handle or inode number");
    private static readonly int SocketPath = Columns.Add("path", ColumnType.Text, "Path for UNIX domain sockets");
    private static readonly int NetNamespace = Columns.Add("net_namespace", ColumnType.Text, "The inode number of the network namespace");

    /// <summary>specs/listening_ports.table with its Linux column.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("listening_ports", "Processes with listening (bound) network sockets/ports.", isEventTable: false);

    private readonly string _proc;

    /// <summary>The table over this host's /proc.</summary>
    public ListeningPortsTable()
        : this("/proc")
    {
    }

    /// <summary>The table over the process directory <paramref name="proc"/>.</summary>
    internal ListeningPortsTable(string proc)
    {
        _proc = proc;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        // osquery keeps the pids as strings in a std::set, so it visits them in text order and, for a socket several
        // processes share, the last one visited is the one reported.
        var pids = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories(_proc))
        {
            var name = Path.GetFileName(directory);
            if (name.Length > 0 && name.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
            {
                pids.Add(name);
            }
        }

        pids.Sort(StringComparer.Ordinal);
        var owners = new Dictionary<string, (long Pid, long Fd)>(StringComparer.Ordinal);
        var namespaces = new HashSet<ulong>();
        var sockets = new List<SocketEntry>();
        foreach (var pid in pids)
        {
            ReadDescriptors(pid, owners);
            var netns = NamespaceInode(Path.Combine(_proc, pid, "ns", "net"));
            if (namespaces.Add(netns))
            {
                ReadSockets(Path.Combine(_proc, pid, "net"), netns, sockets);
            }
        }

        var rows = new List<ColumnValue[]>();
        foreach (var socket in sockets)
        {
            if ((socket.Family == AfUnix && socket.Path.Length == 0) || (socket.Family is AfInet or AfInet6 && socket.RemotePort != 0))
            {
                continue;
            }

            var (pid, fd) = owners.TryGetValue(socket.Inode, out var owner) ? owner : (-1, -1);
            var row = OsqueryRow.Empty(Schema);
            row[Pid] = ColumnValue.Of(pid);
            if (socket.Family == AfUnix)
            {
                row[Port] = ColumnValue.Of(0);
                row[SocketPath] = ColumnValue.Of(socket.Path);
                row[Socket] = ColumnValue.Of(0);
            }
            else
            {
                row[Address] = ColumnValue.Of(socket.LocalAddress);
                row[Port] = ColumnValue.Of(socket.LocalPort);
                row[Socket] = OsqueryRow.Integer(socket.Inode);
            }

            row[Protocol] = ColumnValue.Of(socket.Protocol);
            row[Family] = ColumnValue.Of(socket.Family);
            row[Fd] = ColumnValue.Of(fd);
            row[NetNamespace] = ColumnValue.Of(socket.Namespace.ToString(CultureInfo.InvariantCulture));
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The socket inodes of one process's descriptors (links "socket:[INODE]"), each mapped to the process and descriptor.</summary>
    private void ReadDescriptors(string pid, Dictionary<string, (long Pid, long Fd)> owners)
    {
        IEnumerable<string> descriptors;
        try
        {
            descriptors = Directory.EnumerateFiles(Path.Combine(_proc, pid, "fd"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        try
        {
            foreach (var descriptor in descriptors)
            {
                var link = HostFacts.ReadLink(descriptor);
                if (link.StartsWith("socket:[", StringComparison.Ordinal) && link.Length > 9
                    && long.TryParse(Path.GetFileName(descriptor), NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
                {
                    owners[link[8..^1]] = (long.Parse(pid, CultureInfo.InvariantCulture), fd);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process exited while its descriptors were listed.
        }
    }

    /// <summary>The inode of a namespace link ("net:[4026531840]"); 0 when it cannot be read, as osquery falls back to.</summary>
    private static ulong NamespaceInode(string link)
    {
        var target = HostFacts.ReadLink(link);
        return target.StartsWith("net:[", StringComparison.Ordinal) && target.EndsWith(']')
            && ulong.TryParse(target.AsSpan(5, target.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            ? inode
            : 0;
    }

    /// <summary>Every socket of one network namespace, as osquery lists them: the inet files, then unix, then packet.</summary>
    private static void ReadSockets(string net, ulong netns, List<SocketEntry> sockets)
    {
        foreach (var (protocol, file) in InetFiles)
        {
            ReadInet(HostFacts.ReadText(Path.Combine(net, file)), AfInet, protocol, netns, sockets);
            ReadInet(HostFacts.ReadText(Path.Combine(net, file + "6")), AfInet6, protocol, netns, sockets);
        }

        foreach (var fields in Lines(HostFacts.ReadText(Path.Combine(net, "unix")), "Num", 7))
        {
            sockets.Add(new SocketEntry(AfUnix, (int)LeadingDecimal(fields[2]), fields[6], string.Empty, 0, 0, fields.Count >= 8 ? fields[7] : string.Empty, netns));
        }

        foreach (var fields in Lines(HostFacts.ReadText(Path.Combine(net, "packet")), "sk", 9))
        {
            sockets.Add(new SocketEntry(AfPacket, HexShort(fields[3]), fields[8], string.Empty, 0, 0, string.Empty, netns));
        }
    }

    /// <summary>/proc/net/tcp and its kin: "sl local_address rem_address st ... inode", addresses as hex in host order.</summary>
    private static void ReadInet(string? text, int family, int protocol, ulong netns, List<SocketEntry> sockets)
    {
        foreach (var fields in Lines(text, "sl", 10))
        {
            var local = OsquerySplit.Split(fields[1], ":");
            var remote = OsquerySplit.Split(fields[2], ":");
            if (local.Count != 2 || remote.Count != 2)
            {
                continue;
            }

            sockets.Add(new SocketEntry(family, protocol, fields[9], HexAddress(local[0], family), HexShort(local[1]), HexShort(remote[1]), string.Empty, netns));
        }
    }

    /// <summary>
    /// The fields of each line after a header starting with <paramref name="header"/> (or "sk"), lines with fewer than
    /// <paramref name="minimum"/> fields skipped; nothing when the file is missing or its header is not the expected one.
    /// </summary>
    private static IEnumerable<List<string>> Lines(string? text, string header, int minimum)
    {
        if (text is null)
        {
            yield break;
        }

        var first = true;
        foreach (var line in OsquerySplit.Split(text, "\n"))
        {
            if (first)
            {
                if (!line.StartsWith(header, StringComparison.Ordinal) && !line.StartsWith("sk", StringComparison.Ordinal))
                {
                    yield break;
                }

                first = false;
                continue;
            }

            var fields = OsquerySplit.Split(line, " ");
            if (fields.Count >= minimum)
            {
                yield return fields;
            }
        }
    }

    /// <summary>
    /// An address of /proc/net: IPv4 as 8 hex digits of the 32-bit word in host order, IPv6 as four such words; ''
    /// for any other length, as osquery gives.
    /// </summary>
    private static string HexAddress(string hex, int family)
    {
        var words = family == AfInet ? 1 : 4;
        if (hex.Length != words * 8)
        {
            return string.Empty;
        }

        Span<byte> address = stackalloc byte[words * 4];
        for (var i = 0; i < words; i++)
        {
            if (!uint.TryParse(hex.AsSpan(i * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var word))
            {
                return string.Empty;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(address[(i * 4)..], word);
        }

        return IpText.Of(address);
    }

    /// <summary>A port or protocol of four hex digits; 0 for any other length.</summary>
    private static int HexShort(string hex) =>
        hex.Length == 4 && ushort.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : 0;

    /// <summary>atoll: the decimal digits at the start, 0 when there are none.</summary>
    private static long LeadingDecimal(string text)
    {
        var end = text.AsSpan().IndexOfAnyExceptInRange('0', '9');
        return long.TryParse(end < 0 ? text : text[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    private sealed record SocketEntry(int Family, int Protocol, string Inode, string LocalAddress, int LocalPort, int RemotePort, string Path, ulong Namespace);
}
