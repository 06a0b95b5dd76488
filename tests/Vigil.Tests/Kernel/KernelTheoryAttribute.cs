using Xunit;
using Xunit.Sdk;

namespace Vigil.Tests.Kernel;

/// <summary>A theory that talks to the kernel's audit subsystem; skipped like <see cref="KernelFactAttribute"/>.</summary>
[TraitDiscoverer(KernelCategory.DiscovererTypeName, KernelCategory.DiscovererAssemblyName)]
public sealed class KernelTheoryAttribute : TheoryAttribute, ITraitAttribute
{
    public KernelTheoryAttribute() => Skip = KernelFactAttribute.SkipReason();
}
