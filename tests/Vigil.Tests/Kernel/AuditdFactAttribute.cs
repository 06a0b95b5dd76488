using Xunit;
using Xunit.Sdk;

namespace Vigil.Tests.Kernel;

/// <summary>
/// A kernel test that runs a real auditd: skipped like <see cref="KernelFactAttribute"/>, and outside CI also when
/// auditd is not installed; under CI=true it runs and a missing auditd fails with how to install it.
/// </summary>
[TraitDiscoverer(KernelCategory.DiscovererTypeName, KernelCategory.DiscovererAssemblyName)]
public sealed class AuditdFactAttribute : FactAttribute, ITraitAttribute
{
    public AuditdFactAttribute() =>
        Skip = KernelFactAttribute.SkipReason()
            ?? (AuditdProcess.Executable is null && Environment.GetEnvironmentVariable("CI") != "true"
                ? "auditd is not installed (bash tools/install-reference-tools.sh installs it)"
                : null);
}
