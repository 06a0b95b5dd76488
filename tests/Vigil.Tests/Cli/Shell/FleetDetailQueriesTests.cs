using System.Globalization;
using System.Net;
using System.Text.Json;
using Vigil.Flags;
using Vigil.Tables;
using Vigil.Tests.Tables;
using Xunit;

namespace Vigil.Tests.Cli.Shell;

/// <summary>
/// Fleet's Linux detail queries (Fixtures/fleet/linux-detail-queries.json, from Fleet's source, cited there), each
/// run by <c>vigil shell</c> as a user runs it: a query over Vigil's tables runs and returns the rows this host
/// gives; a query over a table Vigil lacks fails naming it; every discovery query runs.
/// </summary>
public sealed class FleetDetailQueriesTests
{
    /// <summary>The queries whose tables Vigil does not have, with the table SQLite names first.</summary>
    private static readonly Dictionary<string, string> MissingTable = new()
    {
        ["kubequery_info"] = "kubernetes_info",
        ["google_chrome_profiles"] = "google_chrome_profiles",
        ["orbit_info"] = "orbit_info",
        ["disk_encryption_linux"] = "disk_encryption",
        ["software_linux"] = "firefox_addons",
        ["software_python_packages"] = "python_packages",
        ["software_python_packages_with_users_dir"] = "python_packages",
        ["software_vscode_extensions"] = "vscode_extensions",
        ["software_linux_fleetd_pacman"] = "fleetd_pacman_packages",
        ["software_jetbrains_plugins"] = "jetbrains_plugins",
        ["software_go_binaries"] = "go_binaries",
        ["software_deb_last_opened_at"] = "deb_package_files",
        ["software_rpm_last_opened_at"] = "rpm_package_files",
        ["luks_verify"] = "cryptsetup_luks_salt",
    };

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var query in Fixture())
        {
            names.Add(query.GetProperty("name").GetString()!);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_detail_query_runs_in_vigil_shell_or_names_the_table_vigil_lacks(string name)
    {
        var query = Fixture().Single(q => q.GetProperty("name").GetString() == name);
        if (query.TryGetProperty("discovery", out var discovery))
        {
            Assert.Equal(DiscoveryRows(name), Rows(Shell(discovery.GetString()!)));
        }

        var result = Shell(query.GetProperty("query").GetString()!);
        if (MissingTable.TryGetValue(name, out var table))
        {
            Assert.Equal((1, string.Empty, $"Error: no such table: {table}\n"), result);
            return;
        }

        Assert.Equal(string.Empty, result.Err);
        Assert.Equal(ExpectedRows(name), Rows(result));
    }

    [Fact]
    public void The_fixture_holds_fleets_linux_detail_queries()
    {
        Assert.Equal(24, Fixture().Count);
        Assert.Equal(Fixture().Select(q => q.GetProperty("name").GetString()!).Where(MissingTable.ContainsKey), MissingTable.Keys);
    }

    private static List<JsonElement> Fixture()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fleet", "linux-detail-queries.json")));
        return [.. document.RootElement.GetProperty("queries").EnumerateArray().Select(query => query.Clone())];
    }

    private static (int Code, string Out, string Err) Shell(string sql) => VigilProcess.Run(string.Empty, "shell", "--json", sql);

    private static int Rows((int Code, string Out, string Err) result)
    {
        Assert.Equal(0, result.Code);
        return JsonDocument.Parse(result.Out).RootElement.GetArrayLength();
    }

    /// <summary>What this host's tables give each query Vigil can answer.</summary>
    private static int ExpectedRows(string name) => name switch
    {
        "network_interface_unix" => HasPrivateAddressOnDefaultRoute() ? 1 : 0,
        "osquery_flags" => VigilFlags.All.Count(flag => flag.Name is "distributed_interval" or "config_tls_refresh" or "config_refresh" or "logger_tls_period"),
        "users" => LoginUsers(),

        // A shell runs no schedule; the daemon's is tested with the daemon.
        "scheduled_query_stats" => 0,
        _ => 1,
    };

    /// <summary>Discovery finds none of the tables Vigil lacks; the python discovery compares osquery_info's version with 5.16.</summary>
    private static int DiscoveryRows(string name)
    {
        var version = OsqueryInfoTable.Version.Split('.').Select(part => int.Parse(part, CultureInfo.InvariantCulture)).ToArray();
        var before516 = version[0] < 5 || (version[0] == 5 && version[1] < 16);
        return name switch
        {
            "software_python_packages" => before516 ? 1 : 0,
            "software_python_packages_with_users_dir" => before516 ? 0 : 1,
            _ => 0,
        };
    }

    /// <summary>Fleet's user filter over /etc/passwd: no nologin-like shell, no machine or underscore account, not the sync account.</summary>
    private static int LoginUsers() => File.ReadAllLines("/etc/passwd").Where(line => line.Length > 0 && line[0] != '#').Select(line => line.Split(':')).Count(f =>
        !(f[6].EndsWith("/false", StringComparison.Ordinal) || f[6].EndsWith("/nologin", StringComparison.Ordinal) || f[6].EndsWith("/shutdown", StringComparison.Ordinal) || f[6].EndsWith("/halt", StringComparison.Ordinal))
        && !f[0].EndsWith('$') && !f[0].StartsWith('_') && !(f[0] == "sync" && f[6] == "/bin/sync" && f[5].Length > 0));

    /// <summary>Whether an interface with a default route through a gateway has a private (RFC 1918 or fc00::/7) address.</summary>
    private static bool HasPrivateAddressOnDefaultRoute()
    {
        using var routes = JsonDocument.Parse(HostCommand.Run("ip", "-j", "route", "show", "table", "all"));
        var devices = routes.RootElement.EnumerateArray()
            .Where(route => route.GetProperty("dst").GetString() == "default" && !route.TryGetProperty("type", out _) && route.TryGetProperty("dev", out _))
            .Select(route => route.GetProperty("dev").GetString()).ToHashSet();
        using var links = JsonDocument.Parse(HostCommand.Run("ip", "-j", "addr"));
        return links.RootElement.EnumerateArray().Where(link => devices.Contains(link.GetProperty("ifname").GetString()))
            .SelectMany(link => link.GetProperty("addr_info").EnumerateArray())
            .Select(address => IPAddress.Parse(address.GetProperty("local").GetString()!).GetAddressBytes())
            .Any(bytes => bytes.Length == 4
                ? bytes[0] == 10 || (bytes[0] == 172 && (bytes[1] & 0xf0) == 16) || (bytes[0] == 192 && bytes[1] == 168)
                : (bytes[0] & 0xfe) == 0xfc);
    }
}
