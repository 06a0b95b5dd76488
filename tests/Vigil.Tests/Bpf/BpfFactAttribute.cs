using System.Runtime.InteropServices;
using Vigil.Bpf;
using Vigil.Tests.Kernel;
using Xunit;
using Xunit.Sdk;

namespace Vigil.Tests.Bpf;

/// <summary>
/// A test that loads Vigil's BPF programs: skipped with the reason outside CI when not root, when this build has no
/// BPF object (clang, libbpf-dev or bpftool missing when it was built) or libbpf.so.1 is missing; under CI=true it
/// always runs, so any of those fails.
/// </summary>
[TraitDiscoverer(KernelCategory.DiscovererTypeName, KernelCategory.DiscovererAssemblyName)]
public sealed class BpfFactAttribute : FactAttribute, ITraitAttribute
{
    public BpfFactAttribute() => Skip = SkipReason();

    internal static string? SkipReason()
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            return null;
        }

        return KernelFactAttribute.SkipReason()
            ?? (!BpfPrograms.IsEmbedded ? "this build has no BPF object: bash tools/build-bpf.sh installs clang, libbpf-dev and bpftool (CI=true makes this a failure)" : null)
            ?? (!NativeLibrary.TryLoad("libbpf.so.1", out _) ? "libbpf.so.1 is not installed (apt-get install libbpf1; CI=true makes this a failure)" : null);
    }
}
