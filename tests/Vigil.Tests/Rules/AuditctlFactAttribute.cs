using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Rules;

/// <summary>
/// A kernel test that also runs auditctl: skipped when auditctl is missing, except under CI=true where a missing
/// auditctl fails the test instead.
/// </summary>
public sealed class AuditctlFactAttribute : FactAttribute
{
    public AuditctlFactAttribute() =>
        Skip = KernelFactAttribute.SkipReason()
            ?? (Auditctl.Path is null && Environment.GetEnvironmentVariable("CI") != "true" ? "auditctl is not installed" : null);
}
