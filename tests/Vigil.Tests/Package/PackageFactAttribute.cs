using Vigil.Tests.Kernel;
using Xunit;
using Xunit.Sdk;

namespace Vigil.Tests.Package;

/// <summary>
/// A test of the .deb that tools/package.sh builds: outside CI skipped with the reason when a tool it needs is
/// missing (clang and zlib1g-dev to link the native executable, dpkg-deb, fakeroot, and the <c>tools</c> named) or,
/// for one that <c>installs</c> the package, when not root. Under CI=true it always runs, so a missing tool fails
/// (.ci/run installs them first with tools/install-package-tools.sh). Its tests are kernel tests: the ones that
/// install run the daemon against the audit socket, and all change or read the host's package state.
/// </summary>
[TraitDiscoverer(KernelCategory.DiscovererTypeName, KernelCategory.DiscovererAssemblyName)]
public sealed class PackageFactAttribute : FactAttribute, ITraitAttribute
{
    public PackageFactAttribute(bool installs, params string[] tools) =>
        Skip = Environment.GetEnvironmentVariable("CI") == "true" ? null : (installs ? KernelFactAttribute.SkipReason() : null) ?? MissingTool(tools);

    private static string? MissingTool(string[] tools)
    {
        foreach (var tool in (string[])["clang", "dpkg-deb", "fakeroot", .. tools])
        {
            if (PackageBuild.FindCommand(tool) is null)
            {
                return $"{tool} is not installed (bash tools/install-package-tools.sh check installs what the package tests need)";
            }
        }

        return File.Exists("/usr/include/zlib.h") ? null : "zlib1g-dev is not installed (bash tools/install-package-tools.sh check installs it)";
    }
}
