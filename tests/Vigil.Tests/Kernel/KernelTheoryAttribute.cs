using Xunit;

namespace Vigil.Tests.Kernel;

/// <summary>A theory that talks to the kernel's audit subsystem; skipped like <see cref="KernelFactAttribute"/>.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute() => Skip = KernelFactAttribute.SkipReason();
}
