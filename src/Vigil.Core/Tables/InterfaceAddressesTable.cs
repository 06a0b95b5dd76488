using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>interface_addresses</c> (osquery/tables/networking/posix/interfaces.cpp): each IPv4 and IPv6 entry of
/// getifaddrs(3). The entry's destination is the broadcast address on a broadcast interface, else the point-to-point
/// peer (glibc gives an IPv4 address without a broadcast its own address there, so loopback's peer is 127.0.0.1).
/// </summary>
public sealed unsafe class InterfaceAddressesTable : ILiveTable
{
    /// <summary>IFF_BROADCAST (include/uapi/linux/if.h).</summary>
    private const uint IffBroadcast = 0x2;

    private static readonly TableColumns Columns = new();

    private static readonly int Interface = Columns.Add("interface", ColumnType.Text, "Interface name");
    private static readonly int Address = Columns.Add("address", ColumnType.Text, "Specific address for interface");
    private static readonly int Mask = Columns.Add("mask", ColumnType.Text, "Interface netmask");
    private static readonly int Broadcast = Columns.Add("broadcast", ColumnType.Text, "Broadcast address for the interface");
    private static readonly int PointToPoint = Columns.Add("point_to_point", ColumnType.Text, "PtP address for the interface");
    private static readonly int Type = Columns.Add("type", ColumnType.Text, "Type of address. One of dhcp, manual, auto, other, unknown");
    private static readonly int FriendlyName = Columns.Add("friendly_name", ColumnType.Text, "The friendly display name of the interface.", hidden: true);

    /// <summary>specs/interface_addresses.table with the Windows column, hidden, as osquery builds it on Linux.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("interface_addresses", "Network interfaces and relevant metadata.", isEventTable: false);

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        var rows = new List<ColumnValue[]>();
        InterfaceList.Walk(entry =>
        {
            if (entry->ifa_addr == null)
            {
                return;
            }

            var family = *(ushort*)entry->ifa_addr;
            if (family is not (Libc.AF_INET or Libc.AF_INET6))
            {
                return;
            }

            var row = OsqueryRow.Empty(Schema);
            row[Interface] = ColumnValue.Of(InterfaceList.Name(entry));
            row[Address] = ColumnValue.Of(IpText.Of(entry->ifa_addr));
            if (entry->ifa_netmask != null)
            {
                row[Mask] = ColumnValue.Of(IpText.Of(entry->ifa_netmask));
            }

            if (entry->ifa_ifu != null)
            {
                row[(entry->ifa_flags & IffBroadcast) != 0 ? Broadcast : PointToPoint] = ColumnValue.Of(IpText.Of(entry->ifa_ifu));
            }

            // osquery does not tell how an address was configured.
            row[Type] = ColumnValue.Of("unknown");
            rows.Add(row);
        });
        return rows;
    }
}
