using Vigil.Tests.Kernel;
using Xunit;
using Xunit.Sdk;

namespace Vigil.Tests.Rules;

/// <summary>
/// A kernel test that also runs auditctl: skipped when auditctl is missing, except under CI=true where a missing
/// auditctl fails the test instead.
/// </summary>
[TraitDiscoverer(KernelCategory.DiscovererTypeName, KernelCategory.DiscovererAssemblyName)]
public sealed class AuditctlFactAttribute : FactAttribute, ITraitAttribute
{
    public AuditctlFactAttribute() =>
        Skip = KernelFactAttribute.SkipReason()
            ?? (Auditctl.Path is null && Environment.GetEnvironmentVariable("CI") != "true" ? "auditctl is not installed" : null);
}
