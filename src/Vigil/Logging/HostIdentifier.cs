namespace Vigil.Logging;

/// <summary>
/// The <c>hostIdentifier</c> of log lines, chosen by <c>--host_identifier</c> as osquery does (osquery/core/system.cpp):
/// <c>hostname</c> (default), <c>uuid</c>, <c>ephemeral</c> or <c>specified</c>; anything that fails falls back to the hostname.
/// </summary>
public static class HostIdentifier
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

    private static readonly string Ephemeral = Guid.NewGuid().ToString("D");

    /// <summary>Resolves the identifier for <paramref name="mode"/>.</summary>
    /// <param name="mode">The <c>--host_identifier</c> value.</param>
    /// <param name="specified">The <c>--specified_identifier</c> value.</param>
    /// <param name="hostname">The hostname (defaults to the machine's).</param>
    /// <param name="productUuidPath">The hardware UUID file (tests override it).</param>
    /// <param name="machineIdPath">The machine id file (tests override it).</param>
    public static string Resolve(string mode, string specified, string? hostname = null, string productUuidPath = ProductUuidPath, string machineIdPath = MachineIdPath)
    {
        hostname ??= Environment.MachineName;
        return mode switch
        {
            "uuid" => HostUuid(productUuidPath, machineIdPath) ?? hostname,
            "ephemeral" => Ephemeral,
            "specified" when specified.Length > 0 => specified,
            _ => hostname,
        };
    }

    /// <summary>
    /// The hardware UUID when the firmware gives a real one; otherwise <c>/etc/machine-id</c> written as a UUID. osquery instead
    /// generates a random UUID once and keeps it in its database; the machine id is as stable and needs no database.
    /// </summary>
    public static string? HostUuid(string productUuidPath = ProductUuidPath, string machineIdPath = MachineIdPath)
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
