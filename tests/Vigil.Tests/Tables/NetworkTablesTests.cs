using System.Globalization;
using System.Net;
using System.Text.Json;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

/// <summary>The interface and route tables against iproute2's and ethtool's reading of the same kernel objects.</summary>
public sealed class NetworkTablesTests
{
    // IFF_* bits getifaddrs takes from the link's flags rather than sysfs (include/uapi/linux/if.h).
    private static readonly Dictionary<string, long> LinkFlagBits = new()
    {
        ["BROADCAST"] = 0x2, ["LOOPBACK"] = 0x8, ["POINTOPOINT"] = 0x10, ["MASTER"] = 0x400, ["SLAVE"] = 0x800,
        ["LOWER_UP"] = 0x10000, ["DORMANT"] = 0x20000, ["ECHO"] = 0x40000,
    };

    [Fact]
    public void Schemas_are_osquerys()
    {
        Assert.Equal(["interface", "address", "mask", "broadcast", "point_to_point", "type", "friendly_name*"], SchemaText.Of(InterfaceAddressesTable.Schema));
        Assert.Equal(
            ["interface", "mac", "type", "mtu", "metric", "flags", "ipackets", "opackets", "ibytes", "obytes", "ierrors", "oerrors", "idrops", "odrops",
             "collisions", "last_change", "link_speed", "pci_slot", "friendly_name*", "description*", "manufacturer*", "connection_id*",
             "connection_status*", "enabled*", "physical_adapter*", "speed*", "service*", "dhcp_enabled*", "dhcp_lease_expires*",
             "dhcp_lease_obtained*", "dhcp_server*", "dns_domain*", "dns_domain_suffix_search_order*", "dns_host_name*", "dns_server_search_order*"],
            SchemaText.Of(InterfaceDetailsTable.Schema));
        Assert.Equal(["destination", "netmask", "gateway", "source", "flags", "interface", "mtu", "metric", "type", "hopcount"], SchemaText.Of(RoutesTable.Schema));
    }

    [Fact]
    public void Interface_addresses_are_every_address_ip_lists()
    {
        var expected = new List<string>();
        using var links = Ip("-j", "addr");
        foreach (var link in links.RootElement.EnumerateArray())
        {
            var name = link.GetProperty("ifname").GetString()!;
            var broadcastInterface = link.GetProperty("flags").EnumerateArray().Any(flag => flag.GetString() == "BROADCAST");
            foreach (var address in link.GetProperty("addr_info").EnumerateArray())
            {
                var local = address.GetProperty("local").GetString()!;
                var prefix = address.GetProperty("prefixlen").GetInt32();
                var ipv4 = address.GetProperty("family").GetString() == "inet";

                // glibc gives an IPv4 address its broadcast, else its peer, else itself as the destination; IPv6 only a peer.
                var destination = address.TryGetProperty("broadcast", out var broadcast) ? broadcast.GetString()!
                    : address.TryGetProperty("address", out var peer) ? peer.GetString()!
                    : ipv4 ? local : string.Empty;
                var scoped = !ipv4 && IPAddress.Parse(local).IsIPv6LinkLocal ? local + "%" + name : local;
                expected.Add(string.Join('|', name, scoped, Mask(prefix, ipv4), broadcastInterface ? destination : string.Empty, broadcastInterface ? string.Empty : destination, "unknown"));
            }
        }

        var actual = new InterfaceAddressesTable().Generate().Select(row => string.Join('|', row.Take(6).Select(value => value.Text))).ToList();

        Assert.Equal(expected.Order(), actual.Order());
    }

    [Fact]
    public void Interface_details_are_each_link_as_ip_ethtool_and_sysfs_give_it()
    {
        using var before = Ip("-j", "-s", "link");
        var rows = new InterfaceDetailsTable().Generate().Select(values => new TableRow(InterfaceDetailsTable.Schema, values)).ToList();
        using var after = Ip("-j", "-s", "link");

        var afterByName = after.RootElement.EnumerateArray().ToDictionary(link => link.GetProperty("ifname").GetString()!);
        Assert.Equal(before.RootElement.EnumerateArray().Select(link => link.GetProperty("ifname").GetString()).Order(), rows.Select(row => row.Text("interface")).Order());
        foreach (var link in before.RootElement.EnumerateArray())
        {
            var name = link.GetProperty("ifname").GetString()!;
            var row = rows.Single(row => row.Text("interface") == name);
            var linkType = link.GetProperty("link_type").GetString();
            if (linkType is "ether" or "loopback")
            {
                Assert.Equal(link.GetProperty("address").GetString(), row.Text("mac"));
            }

            Assert.Equal(long.Parse(File.ReadAllText($"/sys/class/net/{name}/type"), CultureInfo.InvariantCulture) & 0xff, row.Integer("type"));
            Assert.Equal(link.GetProperty("mtu").GetInt64(), row.Integer("mtu"));
            Assert.Equal(0, row.Integer("metric"));
            Assert.Equal(ExpectedFlags(link), row.Integer("flags"));
            Assert.Equal(-1, row.Integer("last_change"));
            Assert.Equal(LinkSpeed(name), row.Integer("link_speed"));
            Assert.Equal(BusInfo(name), row.Text("pci_slot"));
            foreach (var (column, direction, counter) in (ReadOnlySpan<(string, string, string)>)[
                ("ipackets", "rx", "packets"), ("opackets", "tx", "packets"), ("ibytes", "rx", "bytes"), ("obytes", "tx", "bytes"),
                ("ierrors", "rx", "errors"), ("oerrors", "tx", "errors"), ("idrops", "rx", "dropped"), ("odrops", "tx", "dropped"),
                ("collisions", "tx", "collisions")])
            {
                // Live counters: the row's value lies between the two readings taken around it.
                Assert.InRange(row.Integer(column), Stat(link, direction, counter), Stat(afterByName[name], direction, counter));
            }
        }
    }

    [Fact]
    public void Routes_are_every_route_of_every_table_as_ip_dumps_them()
    {
        var expected = new List<string>();
        using var routes = Ip("-j", "route", "show", "table", "all");
        foreach (var route in routes.RootElement.EnumerateArray())
        {
            var destination = route.GetProperty("dst").GetString()!;
            var ipv6 = destination.Contains(':', StringComparison.Ordinal) || (route.TryGetProperty("gateway", out var gw) && gw.GetString()!.Contains(':', StringComparison.Ordinal));
            var (address, netmask) = destination switch
            {
                "default" => (ipv6 ? "::" : "0.0.0.0", 0),
                _ when destination.Contains('/', StringComparison.Ordinal) => (destination[..destination.IndexOf('/')], int.Parse(destination[(destination.IndexOf('/') + 1)..], CultureInfo.InvariantCulture)),

                // osquery reports a host route (/32, /128) with netmask 0.
                _ => (destination, 0),
            };
            var type = route.TryGetProperty("type", out var kind) ? kind.GetString() : "unicast";
            Assert.Empty(route.GetProperty("flags").EnumerateArray());
            expected.Add(string.Join('|',
                address,
                netmask,
                Text(route, "gateway"),
                Text(route, "prefsrc"),
                0,
                Text(route, "dev"),
                Metric(route, "mtu"),
                route.TryGetProperty("metric", out var metric) ? metric.GetInt64() : 0,
                type switch { "unicast" => "gateway", "local" or "broadcast" or "anycast" => type, _ => "other" },
                Metric(route, "hoplimit")));
        }

        var actual = new RoutesTable().Generate().Select(row => string.Join('|', row.Select(value => value.ToString()))).ToList();

        Assert.Equal(expected, actual);
    }

    private static JsonDocument Ip(params string[] arguments) => JsonDocument.Parse(HostCommand.Run("ip", arguments));

    private static string Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString()! : string.Empty;

    private static long Metric(JsonElement route, string name)
    {
        if (!route.TryGetProperty("metrics", out var metrics))
        {
            return 0;
        }

        foreach (var metric in metrics.EnumerateArray())
        {
            if (metric.TryGetProperty(name, out var value))
            {
                return value.GetInt64();
            }
        }

        return 0;
    }

    private static long Stat(JsonElement link, string direction, string counter) =>
        link.GetProperty("stats64").GetProperty(direction).TryGetProperty(counter, out var value) ? value.GetInt64() : 0;

    private static string Mask(int prefix, bool ipv4)
    {
        var bytes = new byte[ipv4 ? 4 : 16];
        for (var i = 0; i < prefix; i++)
        {
            bytes[i / 8] |= (byte)(0x80 >> (i % 8));
        }

        return new IPAddress(bytes).ToString();
    }

    // osquery: the administrative flags from sysfs, the rest (broadcast, loopback, running, lower_up, ...) from the link.
    private static long ExpectedFlags(JsonElement link)
    {
        var name = link.GetProperty("ifname").GetString()!;
        var sysfs = Convert.ToInt64(File.ReadAllText($"/sys/class/net/{name}/flags").Trim(), 16);
        const long sysfsBits = 0x1 | 0x4 | 0x20 | 0x80 | 0x100 | 0x200 | 0x1000 | 0x2000 | 0x4000 | 0x8000;
        var flags = sysfs & sysfsBits;
        var names = link.GetProperty("flags").EnumerateArray().Select(flag => flag.GetString()!).ToList();
        foreach (var flag in names)
        {
            flags |= LinkFlagBits.GetValueOrDefault(flag);
        }

        // IFF_RUNNING, which ip does not print: up, and operationally up or unknown.
        if (names.Contains("UP") && link.GetProperty("operstate").GetString() is "UP" or "UNKNOWN")
        {
            flags |= 0x40;
        }

        return flags;
    }

    private static long LinkSpeed(string name)
    {
        var speed = (HostCommand.TryRun("ethtool", name) ?? string.Empty).Split('\n').FirstOrDefault(line => line.Trim().StartsWith("Speed:", StringComparison.Ordinal))?.Trim();
        return speed is not null && speed.EndsWith("Mb/s", StringComparison.Ordinal) ? long.Parse(speed["Speed: ".Length..^"Mb/s".Length], CultureInfo.InvariantCulture) : 0;
    }

    private static string BusInfo(string name) =>
        HostCommand.TryRun("ethtool", "-i", name) is { } info
            ? info.Split('\n').Single(line => line.StartsWith("bus-info:", StringComparison.Ordinal))["bus-info:".Length..].Trim()
            : "-1";
}
