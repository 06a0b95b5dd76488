using System.Buffers.Binary;
using Vigil.Netlink;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>routes</c> on Linux (osquery/tables/networking/linux/routes.cpp): every route of every table and
/// family from one RTM_GETROUTE dump on NETLINK_ROUTE, as osquery reads them. A host route (/32, /128) has netmask 0,
/// as osquery reports it.
/// </summary>
public sealed unsafe class RoutesTable : ILiveTable
{
    /// <summary>RTM_GETROUTE (include/uapi/linux/rtnetlink.h).</summary>
    private const ushort RtmGetRoute = 26;

    /// <summary>sizeof(struct rtmsg) (include/uapi/linux/rtnetlink.h), already 4-aligned.</summary>
    private const int RtMsgSize = 12;

    private const ushort RtaDst = 1;
    private const ushort RtaOif = 4;
    private const ushort RtaGateway = 5;
    private const ushort RtaPriority = 6;
    private const ushort RtaPrefsrc = 7;
    private const ushort RtaMetrics = 8;
    private const ushort RtaxMtu = 2;
    private const ushort RtaxHoplimit = 10;

    private static readonly TableColumns Columns = new();

    private static readonly int Destination = Columns.Add("destination", ColumnType.Text, "Destination IP address");
    private static readonly int Netmask = Columns.Add("netmask", ColumnType.Integer, "Netmask length");
    private static readonly int Gateway = Columns.Add("gateway", ColumnType.Text, "Route gateway");
    private static readonly int Source = Columns.Add("source", ColumnType.Text, "Route source");
    private static readonly int Flags = Columns.Add("flags", ColumnType.Integer, "Flags to describe route");
    private static readonly int Interface = Columns.Add("interface", ColumnType.Text, "Route local interface");
    private static readonly int Mtu = Columns.Add("mtu", ColumnType.Integer, "Maximum Transmission Unit for the route");
    private static readonly int Metric = Columns.Add("metric", ColumnType.Integer, "Cost of route. Lowest is preferred");
    private static readonly int Type = Columns.Add("type", ColumnType.Text, "Type of route");
    private static readonly int Hopcount = Columns.Add("hopcount", ColumnType.Integer, "Max hops expected");

    /// <summary>specs/routes.table with its POSIX column.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("routes", "The active route table for the host system.", isEventTable: false);

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        // An all-zero rtmsg: every family, every table.
        var messages = NetlinkDump.Run(Libc.NETLINK_ROUTE, RtmGetRoute, stackalloc byte[RtMsgSize]);
        var names = InterfaceNames();
        var rows = new List<ColumnValue[]>(messages.Count);
        foreach (var (_, payload) in messages)
        {
            if (payload.Length >= RtMsgSize)
            {
                rows.Add(Read(payload, names));
            }
        }

        return rows;
    }

    /// <summary>One route: struct rtmsg, then its attributes (struct rtattr, 4-aligned).</summary>
    private static ColumnValue[] Read(ReadOnlySpan<byte> message, Dictionary<int, string> names)
    {
        var family = message[0];
        var destinationLength = message[1];
        var row = OsqueryRow.Empty(Schema);
        row[Metric] = row[Hopcount] = row[Mtu] = ColumnValue.Of(0);
        var mask = 0;
        var hasDestination = false;
        foreach (var (type, data) in Attributes(message[RtMsgSize..]))
        {
            switch (type)
            {
                case RtaOif when data.Length >= 4:
                    row[Interface] = ColumnValue.Of(names.GetValueOrDefault(BinaryPrimitives.ReadInt32LittleEndian(data), string.Empty));
                    break;
                case RtaGateway:
                    row[Gateway] = ColumnValue.Of(Address(family, data));
                    break;
                case RtaPrefsrc:
                    row[Source] = ColumnValue.Of(Address(family, data));
                    break;
                case RtaDst:
                    if (destinationLength != 32 && destinationLength != 128)
                    {
                        mask = destinationLength;
                    }

                    row[Destination] = ColumnValue.Of(Address(family, data));
                    hasDestination = true;
                    break;
                case RtaPriority when data.Length >= 4:
                    row[Metric] = ColumnValue.Of(BinaryPrimitives.ReadInt32LittleEndian(data));
                    break;
                case RtaMetrics:
                    foreach (var (metric, value) in Attributes(data))
                    {
                        if (metric is RtaxMtu or RtaxHoplimit && value.Length >= 4)
                        {
                            row[metric == RtaxMtu ? Mtu : Hopcount] = ColumnValue.Of(BinaryPrimitives.ReadInt32LittleEndian(value));
                        }
                    }

                    break;
            }
        }

        if (!hasDestination)
        {
            row[Destination] = ColumnValue.Of(family switch
            {
                Libc.AF_INET => "0.0.0.0",
                Libc.AF_INET6 => "::",
                _ => string.Empty,
            });
            mask = destinationLength;
        }

        row[Type] = ColumnValue.Of(message[7] switch
        {
            1 => "gateway",
            2 => "local",
            3 => "broadcast",
            4 => "anycast",
            _ => "other",
        });
        row[Flags] = ColumnValue.Of(BinaryPrimitives.ReadInt32LittleEndian(message[8..]));
        row[Netmask] = ColumnValue.Of(mask);
        return row;
    }

    /// <summary>The (type, data) pairs of a run of struct rtattr, up to the first that does not fit.</summary>
    private static List<(ushort Type, byte[] Data)> Attributes(ReadOnlySpan<byte> attributes)
    {
        var list = new List<(ushort, byte[])>();
        while (attributes.Length >= 4)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
            if (length < 4 || length > attributes.Length)
            {
                break;
            }

            list.Add((BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]), attributes[4..length].ToArray()));
            attributes = attributes[Math.Min(NlMsgHdr.Align(length), attributes.Length)..];
        }

        return list;
    }

    /// <summary>inet_ntop of an attribute's address in the route's family; '' for families other than IPv4 and IPv6.</summary>
    private static string Address(byte family, ReadOnlySpan<byte> data) => family switch
    {
        Libc.AF_INET when data.Length >= 4 => IpText.Of(data[..4]),
        Libc.AF_INET6 when data.Length >= 16 => IpText.Of(data[..16]),
        _ => string.Empty,
    };

    /// <summary>if_indextoname for every interface: the index in each link entry's struct sockaddr_ll (sll_ifindex at offset 4).</summary>
    private static Dictionary<int, string> InterfaceNames()
    {
        var names = new Dictionary<int, string>();
        InterfaceList.Walk(entry =>
        {
            if (entry->ifa_addr != null && *(ushort*)entry->ifa_addr == Libc.AF_PACKET)
            {
                names.TryAdd(*(int*)(entry->ifa_addr + 4), InterfaceList.Name(entry));
            }
        });
        return names;
    }
}
