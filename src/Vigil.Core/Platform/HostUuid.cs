namespace Vigil.Platform;

/// <summary>
/// The host's UUID, as system_info, osquery_info and <c>--host_identifier=uuid</c> report it: the hardware UUID when
/// the firmware gives a real one, otherwise <c>/etc/machine-id</c> written as a UUID. osquery instead generates a
/// random UUID once and keeps it in its database; the machine id is as stable and needs no database.
/// </summary>
public static class HostUuid
{
    /// <summary>Where the hardware UUID is read on Linux.</summary>
    public const string ProductUuidPath = "/sys/class/dmi/id/product_uuid";

    /// <summary>Where the machine id is read when there is no usable hardware UUID.</summary>
    public const string MachineIdPath = "/etc/machine-id";

    // Firmware placeholders osquery refuses as identities (kPlaceholderHardwareUUIDList).
    private static readonly string[] PlaceholderUuids =
    [
        "00000000-0000-0000-0000-000000000000",
        "03000200-0400-0500-0006-000700080009",
        "03020100-0504-0706-0809-0a0b0c0d0e0f",
        "10000000-0000-8000-0040-000000000000",
    ];

    /// <summary>The UUID, or null when neither file gives one (tests name files of their own).</summary>
    public static string? Read(string productUuidPath = ProductUuidPath, string machineIdPath = MachineIdPath)
    {
        string? uuid = ReadTrimmed(productUuidPath);
        if (!string.IsNullOrEmpty(uuid) && Array.IndexOf(PlaceholderUuids, uuid.ToLowerInvariant()) < 0)
        {
            return uuid;
        }

        string? machineId = ReadTrimmed(machineIdPath);
        return machineId is not null && Guid.TryParseExact(machineId, "N", out var id) ? id.ToString("D") : null;
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Replace("\n", string.Empty, StringComparison.Ordinal).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
