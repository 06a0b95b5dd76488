using System.Globalization;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>platform_info</c> on Linux (osquery/tables/system/linux/smbios_tables.cpp genPlatformInfo): the
/// firmware from each SMBIOS BIOS Information structure, uefi when /sys/firmware/efi exists and bios otherwise. No
/// rows without the SMBIOS tables. A fleet manager's enrollment sends its first row as host details.
/// </summary>
public sealed class PlatformInfoTable : ILiveTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Vendor = Columns.Add("vendor", ColumnType.Text, "Platform code vendor");
    private static readonly int Version = Columns.Add("version", ColumnType.Text, "Platform code version");
    private static readonly int Date = Columns.Add("date", ColumnType.Text, "Self-reported platform code update date");
    private static readonly int Revision = Columns.Add("revision", ColumnType.Text, "BIOS major and minor revision");
    private static readonly int Extra = Columns.Add("extra", ColumnType.Text, "Platform-specific additional information");
    private static readonly int FirmwareType = Columns.Add("firmware_type", ColumnType.Text, "The type of firmware (uefi, bios, iboot, openfirmware, unknown).");
    private static readonly int Address = Columns.Add("address", ColumnType.Text, "Relative address of firmware mapping");
    private static readonly int Size = Columns.Add("size", ColumnType.Text, "Size in bytes of firmware");
    private static readonly int VolumeSize = Columns.Add("volume_size", ColumnType.Integer, "(Optional) size of firmware volume");

    /// <summary>specs/platform_info.table with its Linux and macOS columns.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("platform_info", "Information about EFI/UEFI/ROM and platform/boot.", isEventTable: false);

    private readonly string _dmi;
    private readonly string _efi;

    /// <summary>The table over this host's SMBIOS tables and EFI directory.</summary>
    public PlatformInfoTable()
        : this(SmbiosTables.Path, "/sys/firmware/efi")
    {
    }

    /// <summary>The table over the SMBIOS tables in <paramref name="dmi"/>, with <paramref name="efi"/> telling UEFI from BIOS.</summary>
    internal PlatformInfoTable(string dmi, string efi)
    {
        _dmi = dmi;
        _efi = efi;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        foreach (var (type, structure, strings) in SmbiosTables.Read(_dmi) ?? [])
        {
            // osquery reads offsets up to 0x15 of structures of 0x15 bytes or more, strings included.
            if (type != SmbiosTables.Bios || structure.Length + strings.Length < 0x15 || structure.Length <= 0x15)
            {
                continue;
            }

            var row = new ColumnValue[Schema.Columns.Count];
            row[Vendor] = ColumnValue.Of(SmbiosTables.String(structure, strings, 0x04));
            row[Version] = ColumnValue.Of(SmbiosTables.String(structure, strings, 0x05));
            row[Date] = ColumnValue.Of(SmbiosTables.String(structure, strings, 0x08));
            row[Revision] = ColumnValue.Of(string.Create(CultureInfo.InvariantCulture, $"{structure[0x14]}.{structure[0x15]}"));
            row[Extra] = ColumnValue.Of(string.Empty);
            row[FirmwareType] = ColumnValue.Of(Directory.Exists(_efi) ? "uefi" : "bios");

            // The firmware's load segment, and its ROM size as 64 KiB blocks less one.
            row[Address] = ColumnValue.Of(string.Create(CultureInfo.InvariantCulture, $"0x{(structure[0x07] << 8) + structure[0x06]:x4}"));
            row[Size] = ColumnValue.Of((((structure[0x09] + 1) << 6) * 1024).ToString(CultureInfo.InvariantCulture));
            row[VolumeSize] = ColumnValue.Of(0);
            yield return row;
        }
    }
}
