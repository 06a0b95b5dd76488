using Xunit;
using Xunit.Sdk;

namespace Vigil.Tests.Kernel;

/// <summary>
/// A kernel test that runs a container: skipped like <see cref="KernelFactAttribute"/>, and outside CI also when
/// podman, runc or busybox-static is missing; under CI=true it runs and a missing one fails.
/// </summary>
[TraitDiscoverer(KernelCategory.DiscovererTypeName, KernelCategory.DiscovererAssemblyName)]
public sealed class PodmanFactAttribute : FactAttribute, ITraitAttribute
{
    /// <summary>The static busybox the container's root file system is made of.</summary>
    public const string Busybox = "/bin/busybox";

    public PodmanFactAttribute() =>
        Skip = KernelFactAttribute.SkipReason()
            ?? (Missing() is { } missing && Environment.GetEnvironmentVariable("CI") != "true"
                ? $"{missing} is not installed (bash tools/install-reference-tools.sh installs podman, runc and busybox-static)"
                : null);

    /// <summary>Also loads Vigil's BPF programs: skipped as a <see cref="Bpf.BpfFactAttribute"/> is when they cannot be.</summary>
    public bool Bpf
    {
        get => field;
        init
        {
            field = value;
            Skip ??= value ? Vigil.Tests.Bpf.BpfFactAttribute.SkipReason() : null;
        }
    }

    private static string? Missing()
    {
        foreach (var tool in (string[])["/usr/bin/podman", "/usr/sbin/runc", Busybox])
        {
            if (!File.Exists(tool))
            {
                return tool;
            }
        }

        return null;
    }
}
