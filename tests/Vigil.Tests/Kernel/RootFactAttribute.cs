using Xunit;
using Xunit.Sdk;

namespace Vigil.Tests.Kernel;

/// <summary>A test that needs root (mount, setpriv, root-owned files): skipped without it, except under CI=true.</summary>
[TraitDiscoverer(KernelCategory.DiscovererTypeName, KernelCategory.DiscovererAssemblyName)]
public sealed class RootFactAttribute : FactAttribute, ITraitAttribute
{
    public RootFactAttribute() =>
        Skip = Environment.GetEnvironmentVariable("CI") != "true" && !Environment.IsPrivilegedProcess
            ? "needs root (CI=true makes this a failure instead of a skip)"
            : null;
}
