using Vigil.Tests.Pipeline;

namespace Vigil.Tests.Kernel;

/// <summary>
/// A podman container whose root file system is a static busybox (sh and sleep), run the way this host allows:
/// runc, cgroupfs, no network, explicit limits. Its id is read from podman's cidfile once it has run.
/// </summary>
internal sealed class BusyboxContainer : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vigil-rootfs-").FullName;

    public BusyboxContainer()
    {
        foreach (var directory in (string[])["bin", "proc", "sys", "dev", "etc", "tmp"])
        {
            Directory.CreateDirectory(Path.Combine(_root, directory));
        }

        File.Copy(PodmanFactAttribute.Busybox, Path.Combine(_root, "bin", "busybox"));
        File.CreateSymbolicLink(Path.Combine(_root, "bin", "sh"), "busybox");
        File.CreateSymbolicLink(Path.Combine(_root, "bin", "sleep"), "busybox");
    }

    private string IdFile => _root + ".id";

    /// <summary>The 64-hex id of the container <see cref="Run"/> ran.</summary>
    public string Id => File.ReadAllText(IdFile).Trim();

    /// <summary>Runs <c>/bin/sh -c <paramref name="command"/></c> in a new container until it ends; returns podman's pid.</summary>
    public int Run(string command) => KernelCollectorKernelTests.RunToExit(
        "/usr/bin/podman", "/", "--runtime", "runc", "--cgroup-manager=cgroupfs", "run", "--rm", "--net=none",
        "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--cidfile", IdFile, "--rootfs", _root,
        "/bin/sh", "-c", command);

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        File.Delete(IdFile);
    }
}
