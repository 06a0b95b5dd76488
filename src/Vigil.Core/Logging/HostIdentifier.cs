using Vigil.Platform;

namespace Vigil.Logging;

/// <summary>
/// The <c>hostIdentifier</c> of log lines, chosen by <c>--host_identifier</c> as osquery does (osquery/core/system.cpp):
/// <c>hostname</c> (default), <c>uuid</c>, <c>instance</c>, <c>ephemeral</c> or <c>specified</c>; anything that fails falls
/// back to the hostname.
/// </summary>
public static class HostIdentifier
{
    private static readonly string Ephemeral = Guid.NewGuid().ToString("D");

    /// <summary>Resolves the identifier for <paramref name="mode"/>.</summary>
    /// <param name="mode">The <c>--host_identifier</c> value.</param>
    /// <param name="specified">The <c>--specified_identifier</c> value.</param>
    /// <param name="instanceId">
    /// The instance id kept in the daemon's database (osquery_info's instance_id), or null when the database is not
    /// open yet: the settings that open the logs and the database are read before it and name no host.
    /// </param>
    /// <param name="hostname">The hostname (defaults to the machine's).</param>
    /// <param name="productUuidPath">The hardware UUID file (tests override it).</param>
    /// <param name="machineIdPath">The machine id file (tests override it).</param>
    public static string Resolve(string mode, string specified, string? instanceId, string? hostname = null, string productUuidPath = HostUuid.ProductUuidPath, string machineIdPath = HostUuid.MachineIdPath)
    {
        hostname ??= Environment.MachineName;
        return mode switch
        {
            "uuid" => HostUuid.Read(productUuidPath, machineIdPath) ?? hostname,
            "instance" when instanceId is not null => instanceId,
            "ephemeral" => Ephemeral,
            "specified" when specified.Length > 0 => specified,
            _ => hostname,
        };
    }
}
