using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Intrinsics.X86;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>system_info</c> on Linux (osquery/tables/system/linux/system_info.cpp): names, the host UUID, the CPU
/// from CPUID, sysconf and /proc/cpuinfo, the memory from sysconf, and the system and board of the SMBIOS tables in
/// /sys/firmware/dmi/tables/DMI (readable by root only; osquery's fallbacks that read physical memory are not taken).
/// </summary>
public sealed class SystemInfoTable : ILiveTable
{
    // sysconf names (bits/confname.h): online processors (get_nprocs, what std::thread::hardware_concurrency
    // reports), physical pages, page size.
    private const int ScNprocessorsOnln = 84;
    private const int ScPhysPages = 85;
    private const int ScPagesize = 30;

    private static readonly TableColumns Columns = new();

    private static readonly int Hostname = Columns.Add("hostname", ColumnType.Text, "Network hostname including domain");
    private static readonly int Uuid = Columns.Add("uuid", ColumnType.Text, "Unique ID provided by the system");
    private static readonly int CpuType = Columns.Add("cpu_type", ColumnType.Text, "CPU type");
    private static readonly int CpuSubtype = Columns.Add("cpu_subtype", ColumnType.Text, "CPU subtype");
    private static readonly int CpuBrand = Columns.Add("cpu_brand", ColumnType.Text, "CPU brand string, contains vendor and model");
    private static readonly int CpuPhysicalCores = Columns.Add("cpu_physical_cores", ColumnType.Integer, "Number of physical CPU cores in to the system");
    private static readonly int CpuLogicalCores = Columns.Add("cpu_logical_cores", ColumnType.Integer, "Number of logical CPU cores available to the system");
    private static readonly int CpuSockets = Columns.Add("cpu_sockets", ColumnType.Integer, "Number of processor sockets in the system");
    private static readonly int CpuMicrocode = Columns.Add("cpu_microcode", ColumnType.Text, "Microcode version");
    private static readonly int PhysicalMemory = Columns.Add("physical_memory", ColumnType.BigInt, "Total physical memory in bytes");
    private static readonly int HardwareVendor = Columns.Add("hardware_vendor", ColumnType.Text, "Hardware vendor");
    private static readonly int HardwareModel = Columns.Add("hardware_model", ColumnType.Text, "Hardware model");
    private static readonly int HardwareVersion = Columns.Add("hardware_version", ColumnType.Text, "Hardware version");
    private static readonly int HardwareSerial = Columns.Add("hardware_serial", ColumnType.Text, "Device serial number");
    private static readonly int BoardVendor = Columns.Add("board_vendor", ColumnType.Text, "Board vendor");
    private static readonly int BoardModel = Columns.Add("board_model", ColumnType.Text, "Board model");
    private static readonly int BoardVersion = Columns.Add("board_version", ColumnType.Text, "Board version");
    private static readonly int BoardSerial = Columns.Add("board_serial", ColumnType.Text, "Board serial number");
    private static readonly int ComputerName = Columns.Add("computer_name", ColumnType.Text, "Friendly computer name (optional)");
    private static readonly int LocalHostname = Columns.Add("local_hostname", ColumnType.Text, "Local hostname (optional)");
    private static readonly int EmulatedCpuType = Columns.Add("emulated_cpu_type", ColumnType.Text, "Emulated CPU type", hidden: true);

    /// <summary>specs/system_info.table with the Windows column, hidden, as osquery builds it on Linux.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("system_info", "System information for identification.", isEventTable: false);

    private readonly string _cpuinfo;
    private readonly string _dmi;

    /// <summary>The table over this host.</summary>
    public SystemInfoTable()
        : this("/proc/cpuinfo", SmbiosTables.Path)
    {
    }

    /// <summary>The table reading <paramref name="cpuinfo"/> and the SMBIOS tables in <paramref name="dmi"/>.</summary>
    internal SystemInfoTable(string cpuinfo, string dmi)
    {
        _cpuinfo = cpuinfo;
        _dmi = dmi;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        var row = OsqueryRow.Empty(Schema);
        var hostname = Dns.GetHostName().Trim();
        row[Hostname] = row[LocalHostname] = ColumnValue.Of(Fqdn(hostname));
        row[ComputerName] = ColumnValue.Of(hostname);
        row[Uuid] = ColumnValue.Of(HostUuid.Read() ?? string.Empty);
        if (X86Base.IsSupported)
        {
            row[CpuBrand] = ColumnValue.Of(CpuidBrand().Trim());
        }

        var logical = (long)Libc.sysconf(ScNprocessorsOnln);
        row[CpuLogicalCores] = ColumnValue.Of(logical > 0 ? logical : -1);
        var cpuinfo = HostFacts.ReadText(_cpuinfo);
        row[CpuPhysicalCores] = ColumnValue.Of(PhysicalCores(cpuinfo, logical));
        var pages = (long)Libc.sysconf(ScPhysPages);
        var pageSize = (long)Libc.sysconf(ScPagesize);
        row[PhysicalMemory] = ColumnValue.Of(pages > 0 && pageSize > 0 ? pages * pageSize : -1);
        row[CpuSubtype] = ColumnValue.Of("0");
        row[CpuType] = ColumnValue.Of(HostFacts.Machine());
        ReadCpuinfo(cpuinfo, logical, row);
        ReadSmbios(row);
        return [row];
    }

    /// <summary>osquery's getFqdn: the canonical name getaddrinfo(3) gives the hostname (AI_CANONNAME), else the hostname.</summary>
    private static string Fqdn(string hostname)
    {
        try
        {
            return Dns.GetHostEntry(hostname).HostName;
        }
        catch (SocketException)
        {
            return hostname;
        }
    }

    /// <summary>The 48-byte processor brand string of CPUID leaves 0x80000002 to 0x80000004, up to its NUL.</summary>
    private static string CpuidBrand()
    {
        Span<byte> brand = stackalloc byte[48];
        for (var leaf = 0; leaf < 3; leaf++)
        {
            var (eax, ebx, ecx, edx) = X86Base.CpuId(unchecked((int)0x80000002) + leaf, 0);
            BinaryPrimitives.WriteInt32LittleEndian(brand[(leaf * 16)..], eax);
            BinaryPrimitives.WriteInt32LittleEndian(brand[((leaf * 16) + 4)..], ebx);
            BinaryPrimitives.WriteInt32LittleEndian(brand[((leaf * 16) + 8)..], ecx);
            BinaryPrimitives.WriteInt32LittleEndian(brand[((leaf * 16) + 12)..], edx);
        }

        return HostFacts.CString(brand);
    }

    /// <summary>
    /// boost::thread::physical_concurrency: the distinct (physical id, core id) pairs of /proc/cpuinfo; the logical
    /// count when there are none, or when a line is not one "key: value" pair.
    /// </summary>
    private static long PhysicalCores(string? cpuinfo, long logical)
    {
        if (cpuinfo is null)
        {
            return logical;
        }

        var cores = new HashSet<(uint, uint)>();
        var physicalId = 0u;
        foreach (var line in cpuinfo.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(':');
            if (parts.Length != 2)
            {
                return logical;
            }

            var key = parts[0].Trim();
            if (key is "physical id" or "core id")
            {
                // boost reads both as unsigned numbers and gives up on the file at one that is not.
                if (!uint.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    return logical;
                }

                if (key == "physical id")
                {
                    physicalId = id;
                }
                else
                {
                    cores.Add((physicalId, id));
                }
            }
        }

        return cores.Count != 0 ? cores.Count : logical;
    }

    /// <summary>cpu_subtype ("model"), cpu_microcode and cpu_sockets (logical cores over "siblings") from /proc/cpuinfo.</summary>
    private static void ReadCpuinfo(string? cpuinfo, long logical, ColumnValue[] row)
    {
        if (cpuinfo is null)
        {
            return;
        }

        foreach (var line in OsquerySplit.Split(cpuinfo, "\n"))
        {
            var column = line.StartsWith("model\t", StringComparison.Ordinal) ? CpuSubtype
                : line.StartsWith("microcode", StringComparison.Ordinal) ? CpuMicrocode
                : line.StartsWith("siblings", StringComparison.Ordinal) ? CpuSockets
                : -1;
            var details = column < 0 ? null : OsquerySplit.Split(line, ":");
            if (details is not { Count: 2 })
            {
                continue;
            }

            if (column != CpuSockets)
            {
                row[column] = ColumnValue.Of(details[1]);
                continue;
            }

            var perSocket = OsqueryRow.Integer(details[1]);
            row[CpuSockets] = ColumnValue.Of(logical > 0 && perSocket is { IsText: false, Integer: > 0 } ? logical / perSocket.Integer : -1);
        }
    }

    /// <summary>hardware_* from the SMBIOS System structure and board_* from the Baseboard one.</summary>
    private void ReadSmbios(ColumnValue[] row)
    {
        foreach (var (type, structure, strings) in SmbiosTables.Read(_dmi) ?? [])
        {
            if (structure.Length + strings.Length < 0x12 || type is not (SmbiosTables.System or SmbiosTables.Baseboard))
            {
                continue;
            }

            // Manufacturer, product name, version and serial number are the strings at offsets 4 to 7 of both structures.
            int[] columns = type == SmbiosTables.System
                ? [HardwareVendor, HardwareModel, HardwareVersion, HardwareSerial]
                : [BoardVendor, BoardModel, BoardVersion, BoardSerial];
            for (var i = 0; i < columns.Length; i++)
            {
                row[columns[i]] = ColumnValue.Of(SmbiosTables.String(structure, strings, 4 + i));
            }

            // Lenovo puts the model in Version and the SKU in Product Name; osquery swaps them back.
            if (type == SmbiosTables.System && row[HardwareVendor].Text!.Equals("lenovo", StringComparison.OrdinalIgnoreCase))
            {
                (row[HardwareModel], row[HardwareVersion]) = (row[HardwareVersion], row[HardwareModel]);
            }
        }
    }
}
