using Xunit;

namespace Vigil.Tests.KernelAbi;

/// <summary>
/// A test that reads the kernel's uapi headers, the native ones (linux-libc-dev) and the other architectures' of
/// tools/gen-kernel-abi.sh (linux-libc-dev-&lt;arch&gt;-cross): skipped without them, except under CI=true where it
/// runs, so missing headers fail.
/// </summary>
public sealed class KernelHeadersFactAttribute : FactAttribute
{
    // One header of each package the script reads.
    private static readonly string[] Headers =
    [
        "/usr/include/linux/audit.h",
        "/usr/aarch64-linux-gnu/include/asm/unistd.h",
        "/usr/arm-linux-gnueabihf/include/asm/unistd.h",
        "/usr/powerpc64le-linux-gnu/include/asm/unistd.h",
        "/usr/s390x-linux-gnu/include/asm/unistd.h",
        "/usr/riscv64-linux-gnu/include/asm/unistd.h",
    ];

    public KernelHeadersFactAttribute() =>
        Skip = Environment.GetEnvironmentVariable("CI") != "true" && !Array.TrueForAll(Headers, File.Exists)
            ? "needs the kernel headers of linux-libc-dev and linux-libc-dev-<arch>-cross (bash tools/install-reference-tools.sh installs them)"
            : null;
}
