using System.Globalization;
using System.Text;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class SystemInfoTableTests
{
    [Fact]
    public void Schema_is_osquerys_with_the_windows_column_hidden()
    {
        Assert.Equal(
            ["hostname", "uuid", "cpu_type", "cpu_subtype", "cpu_brand", "cpu_physical_cores", "cpu_logical_cores", "cpu_sockets",
             "cpu_microcode", "physical_memory", "hardware_vendor", "hardware_model", "hardware_version", "hardware_serial",
             "board_vendor", "board_model", "board_version", "board_serial", "computer_name", "local_hostname", "emulated_cpu_type*"],
            SchemaText.Of(SystemInfoTable.Schema));
        Assert.Equal(
            ["vendor", "version", "date", "revision", "extra", "firmware_type", "address", "size", "volume_size"],
            SchemaText.Of(PlatformInfoTable.Schema));
    }

    [Fact]
    public void This_host_is_read_as_getconf_hostname_and_proc_cpuinfo_give_it()
    {
        var row = new TableRow(SystemInfoTable.Schema, Assert.Single(new SystemInfoTable().Generate()));
        var cpuinfo = File.ReadAllText("/proc/cpuinfo");
        var logical = long.Parse(HostCommand.Run("getconf", "_NPROCESSORS_ONLN"), CultureInfo.InvariantCulture);

        Assert.Equal(HostCommand.Run("hostname").Trim(), row.Text("computer_name"));
        Assert.Equal((HostCommand.TryRun("hostname", "-f") ?? HostCommand.Run("hostname")).Trim(), row.Text("hostname"));
        Assert.Equal(row.Text("hostname"), row.Text("local_hostname"));
        Assert.Equal(ExpectedUuid(), row.Text("uuid"));
        Assert.Equal(HostCommand.Run("uname", "-m").Trim(), row.Text("cpu_type"));
        Assert.Equal(CpuinfoValue(cpuinfo, "model\t") ?? "0", row.Text("cpu_subtype"));
        Assert.Equal(CpuinfoValue(cpuinfo, "microcode") ?? string.Empty, row.Text("cpu_microcode"));
        Assert.Equal(logical, row.Integer("cpu_logical_cores"));
        Assert.Equal(PhysicalCores(cpuinfo, logical), row.Integer("cpu_physical_cores"));
        Assert.Equal(logical / long.Parse(CpuinfoValue(cpuinfo, "siblings")!, CultureInfo.InvariantCulture), row.Integer("cpu_sockets"));
        Assert.Equal(
            long.Parse(HostCommand.Run("getconf", "_PHYS_PAGES"), CultureInfo.InvariantCulture) * long.Parse(HostCommand.Run("getconf", "PAGESIZE"), CultureInfo.InvariantCulture),
            row.Integer("physical_memory"));
        if (System.Runtime.Intrinsics.X86.X86Base.IsSupported)
        {
            Assert.NotEqual(string.Empty, row.Text("cpu_brand"));
            Assert.Equal(row.Text("cpu_brand")!.Trim(), row.Text("cpu_brand"));
        }

        if (!File.Exists(SmbiosPath))
        {
            foreach (var column in (string[])["hardware_vendor", "hardware_model", "hardware_version", "hardware_serial", "board_vendor", "board_model", "board_version", "board_serial"])
            {
                Assert.Equal(string.Empty, row.Text(column));
            }
        }
    }

    // The kernel decodes the same tables into /sys/class/dmi/id (keeping trailing spaces that osquery trims).
    [RootFact]
    public void Hardware_and_board_match_the_kernels_reading_of_the_same_smbios_tables()
    {
        var row = new TableRow(SystemInfoTable.Schema, Assert.Single(new SystemInfoTable().Generate()));
        if (!File.Exists(SmbiosPath))
        {
            Assert.Equal(string.Empty, row.Text("hardware_model"));
            Assert.Empty(new PlatformInfoTable().Generate());
            return;
        }

        var vendor = Dmi("sys_vendor");
        var (model, version) = vendor.Equals("lenovo", StringComparison.OrdinalIgnoreCase) ? (Dmi("product_version"), Dmi("product_name")) : (Dmi("product_name"), Dmi("product_version"));
        Assert.Equal(
            string.Join('|', vendor, model, version, Dmi("product_serial"), Dmi("board_vendor"), Dmi("board_name"), Dmi("board_version"), Dmi("board_serial")),
            row.Values("hardware_vendor", "hardware_model", "hardware_version", "hardware_serial", "board_vendor", "board_model", "board_version", "board_serial"));
        var platform = new TableRow(PlatformInfoTable.Schema, new PlatformInfoTable().Generate().First());
        Assert.Equal((Dmi("bios_vendor"), Dmi("bios_version"), Dmi("bios_date")), (platform.Text("vendor"), platform.Text("version"), platform.Text("date")));
        Assert.Equal(Directory.Exists("/sys/firmware/efi") ? "uefi" : "bios", platform.Text("firmware_type"));
    }

    [Fact]
    public void Smbios_system_board_and_bios_structures_are_read_with_osquerys_lenovo_swap()
    {
        using var directory = new TempDirectory();
        var dmi = directory.File("DMI");
        File.WriteAllBytes(dmi, [
            .. Structure(0, [0x01, 0x02, 0x00, 0xE0, 0x03, 0x0F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05, 0x0A, 0xFF, 0xFF], "Vigil BIOS", "1.2.3  ", "01/02/2024"),
            .. Structure(1, [0x01, 0x02, 0x03, 0x04, .. new byte[16], 0x06, 0x00, 0x00], "LENOVO", "20XW", "ThinkPad X1 ", "SER123 "),
            .. Structure(2, [0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00], "LENOVO", "20XWCTO1WW", "SDK0J40697 WIN", "L1HF"),
            .. Structure(127, []),
        ]);

        var row = new TableRow(SystemInfoTable.Schema, Assert.Single(new SystemInfoTable("/proc/cpuinfo", dmi).Generate()));
        var platform = new TableRow(PlatformInfoTable.Schema, Assert.Single(new PlatformInfoTable(dmi, directory.File("no-efi")).Generate()));

        Assert.Equal(
            "LENOVO|ThinkPad X1|20XW|SER123|LENOVO|20XWCTO1WW|SDK0J40697 WIN|L1HF",
            row.Values("hardware_vendor", "hardware_model", "hardware_version", "hardware_serial", "board_vendor", "board_model", "board_version", "board_serial"));
        Assert.Equal(
            "Vigil BIOS|1.2.3|01/02/2024|5.10||bios|0xe000|1048576|0",
            platform.Values("vendor", "version", "date", "revision", "extra", "firmware_type", "address", "size", "volume_size"));
    }

    [Fact]
    public void A_string_number_past_the_strings_or_zero_reads_empty()
    {
        using var directory = new TempDirectory();
        var dmi = directory.File("DMI");
        File.WriteAllBytes(dmi, [.. Structure(1, [0x01, 0x00, 0x05, 0x02, .. new byte[16], 0x06, 0x00, 0x00], "Acme", "S1"), .. Structure(127, [])]);

        var row = new TableRow(SystemInfoTable.Schema, Assert.Single(new SystemInfoTable("/proc/cpuinfo", dmi).Generate()));

        Assert.Equal("Acme|||S1", row.Values("hardware_vendor", "hardware_model", "hardware_version", "hardware_serial"));
    }

    private const string SmbiosPath = "/sys/firmware/dmi/tables/DMI";

    /// <summary>An SMBIOS structure: type, length, handle 0, the formatted bytes after the header, then the strings and a double NUL.</summary>
    private static byte[] Structure(byte type, byte[] formatted, params string[] strings)
    {
        var bytes = new List<byte> { type, (byte)(4 + formatted.Length), 0, 0 };
        bytes.AddRange(formatted);
        foreach (var text in strings)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes(text));
            bytes.Add(0);
        }

        if (strings.Length == 0)
        {
            bytes.Add(0);
        }

        bytes.Add(0);
        return [.. bytes];
    }

    private static string Dmi(string name) => File.ReadAllText(Path.Combine("/sys/class/dmi/id", name)).TrimEnd();

    private static string ExpectedUuid()
    {
        var product = File.Exists("/sys/class/dmi/id/product_uuid") ? File.ReadAllText("/sys/class/dmi/id/product_uuid").Trim() : string.Empty;
        return product.Length > 0 && product != "00000000-0000-0000-0000-000000000000"
            ? product
            : Guid.ParseExact(File.ReadAllText("/etc/machine-id").Trim(), "N").ToString("D");
    }

    private static string? CpuinfoValue(string cpuinfo, string key) =>
        cpuinfo.Split('\n').LastOrDefault(line => line.StartsWith(key, StringComparison.Ordinal))?.Split(':')[1].Trim();

    private static long PhysicalCores(string cpuinfo, long logical)
    {
        var cores = new HashSet<string>();
        var physical = string.Empty;
        foreach (var line in cpuinfo.Split('\n').Where(line => line.Contains(':')))
        {
            var key = line.Split(':')[0].Trim();
            var value = line.Split(':')[1].Trim();
            if (key == "physical id")
            {
                physical = value;
            }
            else if (key == "core id")
            {
                cores.Add(physical + "/" + value);
            }
        }

        return cores.Count > 0 ? cores.Count : logical;
    }
}
