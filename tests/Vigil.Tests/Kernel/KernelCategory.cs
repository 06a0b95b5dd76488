using Xunit.Abstractions;
using Xunit.Sdk;

namespace Vigil.Tests.Kernel;

/// <summary>
/// The trait <c>Category=Kernel</c> that <c>dotnet test --filter Category=Kernel</c> selects: the kernel test attributes
/// carry it, so every test they mark has it, and each class of the <c>Kernel</c> collection carries it as
/// <c>[Trait("Category", "Kernel")]</c>.
/// </summary>
public sealed class KernelCategory : ITraitDiscoverer
{
    public const string Name = "Category";
    public const string Value = "Kernel";

    /// <summary>This type and assembly, as <see cref="TraitDiscovererAttribute"/> takes them.</summary>
    public const string DiscovererTypeName = "Vigil.Tests.Kernel.KernelCategory";
    public const string DiscovererAssemblyName = "Vigil.Tests";

    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) => [new(Name, Value)];
}
