using System.Globalization;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>interface_details</c> on Linux (osquery/tables/networking/posix/interfaces.cpp): one row per link
/// entry (AF_PACKET) of getifaddrs(3), with the 32-bit counters glibc puts in ifa_data, the MTU, metric, link type and
/// hardware address from ioctl(2), speed and bus from ethtool, and the administrative flags taken from sysfs.
/// </summary>
public sealed unsafe class InterfaceDetailsTable : ILiveTable
{
    /// <summary>The flags osquery reads from /sys/class/net/*/flags rather than from getifaddrs: IFF_UP, DEBUG, NOTRAILERS, NOARP, PROMISC, ALLMULTI, MULTICAST, PORTSEL, AUTOMEDIA, DYNAMIC.</summary>
    private const uint SysfsFlags = 0x1 | 0x4 | 0x20 | 0x80 | 0x100 | 0x200 | 0x1000 | 0x2000 | 0x4000 | 0x8000;

    /// <summary>SPEED_UNKNOWN (include/uapi/linux/ethtool.h).</summary>
    private const uint SpeedUnknown = uint.MaxValue;

    private const string BlankMac = "00:00:00:00:00:00";

    private static readonly TableColumns Columns = new();

    private static readonly int Interface = Columns.Add("interface", ColumnType.Text, "Interface name");
    private static readonly int Mac = Columns.Add("mac", ColumnType.Text, "MAC of interface (optional)");
    private static readonly int Type = Columns.Add("type", ColumnType.Integer, "Interface type (includes virtual)");
    private static readonly int Mtu = Columns.Add("mtu", ColumnType.Integer, "Network MTU");
    private static readonly int Metric = Columns.Add("metric", ColumnType.Integer, "Metric based on the speed of the interface");
    private static readonly int Flags = Columns.Add("flags", ColumnType.Integer, "Flags (netdevice) for the device");
    private static readonly int Ipackets = Columns.Add("ipackets", ColumnType.BigInt, "Input packets");
    private static readonly int Opackets = Columns.Add("opackets", ColumnType.BigInt, "Output packets");
    private static readonly int Ibytes = Columns.Add("ibytes", ColumnType.BigInt, "Input bytes");
    private static readonly int Obytes = Columns.Add("obytes", ColumnType.BigInt, "Output bytes");
    private static readonly int Ierrors = Columns.Add("ierrors", ColumnType.BigInt, "Input errors");
    private static readonly int Oerrors = Columns.Add("oerrors", ColumnType.BigInt, "Output errors");
    private static readonly int Idrops = Columns.Add("idrops", ColumnType.BigInt, "Input drops");
    private static readonly int Odrops = Columns.Add("odrops", ColumnType.BigInt, "Output drops");
    private static readonly int Collisions = Columns.Add("collisions", ColumnType.BigInt, "Packet Collisions detected");
    private static readonly int LastChange = Columns.Add("last_change", ColumnType.BigInt, "Time of last device modification (optional)");
    private static readonly int LinkSpeed = Columns.Add("link_speed", ColumnType.BigInt, "Interface speed in Mb/s");
    private static readonly int PciSlot = Columns.Add("pci_slot", ColumnType.Text, "PCI slot number");
    private static readonly int FriendlyName = Columns.Add("friendly_name", ColumnType.Text, "The friendly display name of the interface.", hidden: true);
    private static readonly int Description = Columns.Add("description", ColumnType.Text, "Short description of the object a one-line string.", hidden: true);
    private static readonly int Manufacturer = Columns.Add("manufacturer", ColumnType.Text, "Name of the network adapter's manufacturer.", hidden: true);
    private static readonly int ConnectionId = Columns.Add("connection_id", ColumnType.Text, "Name of the network connection as it appears in the Network Connections Control Panel program.", hidden: true);
    private static readonly int ConnectionStatus = Columns.Add("connection_status", ColumnType.Text, "State of the network adapter connection to the network.", hidden: true);
    private static readonly int Enabled = Columns.Add("enabled", ColumnType.Integer, "Indicates whether the adapter is enabled or not.", hidden: true);
    private static readonly int PhysicalAdapter = Columns.Add("physical_adapter", ColumnType.Integer, "Indicates whether the adapter is a physical or a logical adapter.", hidden: true);
    private static readonly int Speed = Columns.Add("speed", ColumnType.Integer, "Estimate of the current bandwidth in bits per second.", hidden: true);
    private static readonly int Service = Columns.Add("service", ColumnType.Text, "The name of the service the network adapter uses.", hidden: true);
    private static readonly int DhcpEnabled = Columns.Add("dhcp_enabled", ColumnType.Integer, "If TRUE, the dynamic host configuration protocol (DHCP) server automatically assigns an IP address to the computer system when establishing a network connection.", hidden: true);
    private static readonly int DhcpLeaseExpires = Columns.Add("dhcp_lease_expires", ColumnType.Text, "Expiration date and time for a leased IP address that was assigned to the computer by the dynamic host configuration protocol (DHCP) server.", hidden: true);
    private static readonly int DhcpLeaseObtained = Columns.Add("dhcp_lease_obtained", ColumnType.Text, "Date and time the lease was obtained for the IP address assigned to the computer by the dynamic host configuration protocol (DHCP) server.", hidden: true);
    private static readonly int DhcpServer = Columns.Add("dhcp_server", ColumnType.Text, "IP address of the dynamic host configuration protocol (DHCP) server.", hidden: true);
    private static readonly int DnsDomain = Columns.Add("dns_domain", ColumnType.Text, "Organization name followed by a period and an extension that indicates the type of organization, such as 'microsoft.com'.", hidden: true);
    private static readonly int DnsDomainSuffixSearchOrder = Columns.Add("dns_domain_suffix_search_order", ColumnType.Text, "Array of DNS domain suffixes to be appended to the end of host names during name resolution.", hidden: true);
    private static readonly int DnsHostName = Columns.Add("dns_host_name", ColumnType.Text, "Host name used to identify the local computer for authentication by some utilities.", hidden: true);
    private static readonly int DnsServerSearchOrder = Columns.Add("dns_server_search_order", ColumnType.Text, "Array of server IP addresses to be used in querying for DNS servers.", hidden: true);

    /// <summary>specs/interface_details.table with the Windows columns, hidden, as osquery builds it on Linux.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("interface_details", "Detailed information and stats of network interfaces.", isEventTable: false);

    private readonly string _sysClassNet;

    /// <summary>The table over this host's interfaces.</summary>
    public InterfaceDetailsTable()
        : this("/sys/class/net")
    {
    }

    /// <summary>The table with the administrative flags read from <paramref name="sysClassNet"/>.</summary>
    internal InterfaceDetailsTable(string sysClassNet)
    {
        _sysClassNet = sysClassNet;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        var rows = new List<ColumnValue[]>();
        var socket = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        try
        {
            InterfaceList.Walk(entry =>
            {
                if (entry->ifa_addr == null || *(ushort*)entry->ifa_addr == Libc.AF_PACKET)
                {
                    rows.Add(Read(entry, socket));
                }
            });
        }
        finally
        {
            if (socket >= 0)
            {
                Libc.close(socket);
            }
        }

        return rows;
    }

    private ColumnValue[] Read(Libc.IfAddrs* entry, int socket)
    {
        var row = OsqueryRow.Empty(Schema);
        var name = InterfaceList.Name(entry);
        row[Interface] = ColumnValue.Of(name);
        var request = Request(name);
        row[Mac] = ColumnValue.Of(entry->ifa_addr == null || entry->ifa_name == null ? BlankMac : MacOf(socket, &request));
        if (entry->ifa_data == null || entry->ifa_name == null)
        {
            return row;
        }

        var stats = (Libc.RtnlLinkStats*)entry->ifa_data;
        row[Type] = row[Mtu] = row[Metric] = ColumnValue.Of(0);
        row[Ipackets] = ColumnValue.Of(stats->rx_packets);
        row[Opackets] = ColumnValue.Of(stats->tx_packets);
        row[Ibytes] = ColumnValue.Of(stats->rx_bytes);
        row[Obytes] = ColumnValue.Of(stats->tx_bytes);
        row[Ierrors] = ColumnValue.Of(stats->rx_errors);
        row[Oerrors] = ColumnValue.Of(stats->tx_errors);
        row[Idrops] = ColumnValue.Of(stats->rx_dropped);
        row[Odrops] = ColumnValue.Of(stats->tx_dropped);
        row[Collisions] = ColumnValue.Of(stats->collisions);
        if (socket >= 0)
        {
            if (Libc.ioctl(socket, Libc.SIOCGIFMTU, &request) >= 0)
            {
                row[Mtu] = ColumnValue.Of((uint)request.ifr_int);
            }

            if (Libc.ioctl(socket, Libc.SIOCGIFMETRIC, &request) >= 0)
            {
                row[Metric] = ColumnValue.Of((uint)request.ifr_int);
            }

            // osquery passes the 16-bit link type through an unsigned char, so loopback (ARPHRD_LOOPBACK, 772) reads 4.
            if (Libc.ioctl(socket, Libc.SIOCGIFHWADDR, &request) >= 0)
            {
                row[Type] = ColumnValue.Of(request.ifr_hwaddr_family & 0xff);
            }

            row[LinkSpeed] = ColumnValue.Of(LinkSpeedOf(socket, name));
            row[PciSlot] = ColumnValue.Of(BusInfo(socket, name));
        }

        var flags = entry->ifa_flags & ~SysfsFlags;
        row[Flags] = ColumnValue.Of(flags | (SysfsFlagsOf(name) & SysfsFlags));
        row[LastChange] = ColumnValue.Of(-1);
        return row;
    }

    /// <summary>A struct ifreq naming <paramref name="name"/> (cut to IFNAMSIZ - 1 bytes, as osquery's snprintf does).</summary>
    private static Libc.IfReq Request(string name)
    {
        Libc.IfReq request = default;
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        new ReadOnlySpan<byte>(bytes, 0, Math.Min(bytes.Length, Libc.IFNAMSIZ - 1)).CopyTo(new Span<byte>(request.ifr_name, Libc.IFNAMSIZ));
        return request;
    }

    /// <summary>The first six bytes of SIOCGIFHWADDR's address; zeros when the call fails.</summary>
    private static string MacOf(int socket, Libc.IfReq* request)
    {
        var query = *request;
        if (socket < 0 || Libc.ioctl(socket, Libc.SIOCGIFHWADDR, &query) < 0)
        {
            return BlankMac;
        }

        return string.Join(':', new ReadOnlySpan<byte>(query.ifr_hwaddr_data, 6).ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    /// <summary>ETHTOOL_GSET's speed in Mb/s; 0 when the driver does not say or does not know.</summary>
    private static long LinkSpeedOf(int socket, string name)
    {
        var request = Request(name);
        var command = new Libc.EthtoolCmd { cmd = Libc.ETHTOOL_GSET };
        request.ifr_data = &command;
        if (Libc.ioctl(socket, Libc.SIOCETHTOOL, &request) < 0)
        {
            return 0;
        }

        var speed = ((uint)command.speed_hi << 16) | command.speed;
        return speed == SpeedUnknown ? 0 : speed;
    }

    /// <summary>ETHTOOL_GDRVINFO's bus_info (the PCI address of a PCI device); "-1" when the driver gives none.</summary>
    private static string BusInfo(int socket, string name)
    {
        var request = Request(name);
        var info = new Libc.EthtoolDrvInfo { cmd = Libc.ETHTOOL_GDRVINFO };
        request.ifr_data = &info;
        return Libc.ioctl(socket, Libc.SIOCETHTOOL, &request) < 0
            ? "-1"
            : HostFacts.CString(new ReadOnlySpan<byte>(info.bus_info, 32));
    }

    /// <summary>The device flags sysfs shows ("0x1003\n"); 0 when the file is missing or not in that form.</summary>
    private uint SysfsFlagsOf(string name)
    {
        var text = HostFacts.ReadText(Path.Combine(_sysClassNet, name, "flags"));
        if (text is null || text.Length <= 3 || !text.StartsWith("0x", StringComparison.Ordinal))
        {
            return 0;
        }

        return uint.TryParse(text.AsSpan(2, text.Length - 3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var flags) ? flags : 0;
    }
}
