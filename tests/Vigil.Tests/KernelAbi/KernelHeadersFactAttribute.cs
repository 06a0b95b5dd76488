using Xunit;

namespace Vigil.Tests.KernelAbi;

/// <summary>
/// A test that reads the kernel's uapi headers (linux-libc-dev): skipped without them, except under CI=true where it
/// runs, so missing headers fail.
/// </summary>
public sealed class KernelHeadersFactAttribute : FactAttribute
{
    public KernelHeadersFactAttribute() =>
        Skip = Environment.GetEnvironmentVariable("CI") != "true" && !File.Exists("/usr/include/linux/audit.h")
            ? "needs linux/audit.h (bash tools/install-reference-tools.sh installs linux-libc-dev)"
            : null;
}
