using System.Reflection;
using Vigil.Tests.Bpf;
using Vigil.Tests.KernelAbi;
using Vigil.Tests.Rules;
using Xunit;
using Xunit.Sdk;

namespace Vigil.Tests.Kernel;

/// <summary>
/// <c>dotnet test --filter Category=Kernel</c> selects exactly the kernel tests: the traits are read as xunit discovers
/// them, from every test method of this assembly.
/// </summary>
public sealed class KernelCategoryTests
{
    /// <summary>
    /// The attributes that make a test need the audit socket, or load BPF programs beside it; such a test runs in the
    /// Kernel collection.
    /// </summary>
    private static readonly Type[] AuditSocketAttributes =
    [
        typeof(KernelFactAttribute), typeof(KernelTheoryAttribute), typeof(AuditdFactAttribute), typeof(AuditctlFactAttribute),
        typeof(BpfFactAttribute), typeof(BpfAuditdFactAttribute), typeof(PodmanFactAttribute), typeof(Package.PackageFactAttribute),
    ];

    /// <summary>Root without the audit socket (mounts, setpriv, root-owned files): a kernel test outside the collection.</summary>
    private static readonly Type[] KernelAttributes = [.. AuditSocketAttributes, typeof(RootFactAttribute)];

    /// <summary>Fact attributes whose tests need neither root nor the kernel (the kernel's headers are files).</summary>
    private static readonly Type[] OtherAttributes = [typeof(KernelHeadersFactAttribute)];

    [Fact]
    public void Every_test_with_a_kernel_attribute_or_in_the_Kernel_collection_has_the_category_and_no_other_test_has_it()
    {
        var wrong = new List<string>();
        foreach (var (type, method) in TestMethods())
        {
            var isKernel = Array.Exists(KernelAttributes, attribute => method.IsDefined(attribute)) || CollectionOf(type) == "Kernel";
            var hasCategory = TraitsOf(type, method).TryGetValue(KernelCategory.Name, out var values) && values.Contains(KernelCategory.Value);
            if (isKernel != hasCategory)
            {
                wrong.Add($"{type.Name}.{method.Name}: {(isKernel ? "a kernel test without" : "not a kernel test but with")} [Trait(\"Category\", \"Kernel\")]");
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public void The_traits_are_read_as_xunit_gives_them()
    {
        var kernel = typeof(Vigil.Tests.Pipeline.KernelCollectorKernelTests);
        var rootOnly = typeof(Vigil.Tests.Platform.FilePermissionsTests);
        var plain = typeof(KernelCategoryTests);

        Assert.Equal(["Kernel"], TraitsOf(kernel, kernel.GetMethod("Stop_RestoresTheStateFoundAtStart")!)[KernelCategory.Name].Distinct());
        Assert.Equal(["Kernel"], TraitsOf(rootOnly, rootOnly.GetMethods().First(method => method.IsDefined(typeof(RootFactAttribute))))[KernelCategory.Name]);
        Assert.Empty(TraitsOf(plain, plain.GetMethod(nameof(The_traits_are_read_as_xunit_gives_them))!));
    }

    [Fact]
    public void Every_test_that_needs_the_audit_socket_is_in_the_Kernel_collection()
    {
        var outside = TestMethods()
            .Where(test => Array.Exists(AuditSocketAttributes, attribute => test.Method.IsDefined(attribute)) && CollectionOf(test.Type) != "Kernel")
            .Select(test => $"{test.Type.Name}.{test.Method.Name}")
            .ToList();

        Assert.Empty(outside);
    }

    // A new fact attribute is placed on one side or the other here, so its tests are not left out of the category by default.
    [Fact]
    public void Every_fact_attribute_of_this_assembly_is_a_kernel_attribute_or_known_not_to_be_one()
    {
        var custom = typeof(KernelCategoryTests).Assembly.GetTypes().Where(type => type.IsSubclassOf(typeof(FactAttribute)));

        Assert.Equal(KernelAttributes.Concat(OtherAttributes).OrderBy(type => type.Name), custom.OrderBy(type => type.Name));
    }

    private static IEnumerable<(Type Type, MethodInfo Method)> TestMethods() =>
        from type in typeof(KernelCategoryTests).Assembly.GetTypes()
        where type.IsClass && !type.IsAbstract
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
        where method.IsDefined(typeof(FactAttribute), inherit: true)
        select (type, method);

    private static string? CollectionOf(Type type) =>
        type.GetCustomAttributesData().FirstOrDefault(data => data.AttributeType == typeof(CollectionAttribute))?.ConstructorArguments[0].Value as string;

    /// <summary>The traits xunit gives the test, as the test adapter reports them to <c>--filter</c>.</summary>
    private static Dictionary<string, List<string>> TraitsOf(Type type, MethodInfo method)
    {
        var assembly = new TestAssembly(Reflector.Wrap(type.Assembly));
        var testClass = new TestClass(new TestCollection(assembly, null, "traits"), Reflector.Wrap(type));
        var testCase = new XunitTestCase(new NullMessageSink(), TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, new TestMethod(testClass, Reflector.Wrap(method)));
        return testCase.Traits;
    }
}
