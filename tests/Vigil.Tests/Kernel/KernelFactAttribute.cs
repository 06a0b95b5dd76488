using Xunit;
using Xunit.Sdk;

namespace Vigil.Tests.Kernel;

/// <summary>
/// A test that needs the kernel audit netlink socket: skipped with the reason when not root, except under
/// CI=true where it always runs so a missing socket or capability fails.
/// </summary>
[TraitDiscoverer(KernelCategory.DiscovererTypeName, KernelCategory.DiscovererAssemblyName)]
public sealed class KernelFactAttribute : FactAttribute, ITraitAttribute
{
    public KernelFactAttribute() => Skip = SkipReason();

    /// <summary>Why a kernel test cannot run here, or null: only outside CI, and only without root.</summary>
    internal static string? SkipReason() =>
        Environment.GetEnvironmentVariable("CI") != "true" && !Environment.IsPrivilegedProcess
            ? "needs root for the NETLINK_AUDIT socket (CI=true makes this a failure instead of a skip)"
            : null;
}
