using Vigil.Platform;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Tables;

/// <summary>
/// Cgroup ids resolved against the host's own unified hierarchy: the tests make cgroups of their own under it (root
/// only, as the BPF source runs) and remove them.
/// </summary>
public sealed class CgroupIdsTests : IDisposable
{
    private const string Container = "d0d75924b381ad3bed090617eaf59f0261cf7a961c3da4dfd71bd72b5ce19e28";

    private readonly string _name = $"vigil-test-{Guid.NewGuid():N}";
    private CgroupIds? _live;

    public void Dispose()
    {
        if (_live is not null)
        {
            foreach (var directory in (string[])[Path.Combine(Own, "libpod-" + Container), Own])
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory);
                }
            }
        }
    }

    private string Own => Path.Combine(_live!.MountPoint, _name);

    [Fact]
    public void TheCgroup2Mount_IsTheFirstOfMountInfo_ItsPathUnescaped()
    {
        var mountInfo = string.Join('\n',
            "25 1 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw",
            "36 25 0:31 / /sys/fs/cgroup/memory rw shared:11 - cgroup cgroup rw,memory",
            @"35 25 0:30 /kubepods /sys/fs/cgroup/my\040unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate",
            "37 25 0:32 / /mnt/other rw shared:12 - cgroup2 cgroup2 rw",
            "");

        var ids = CgroupIds.FromMountInfo(mountInfo)!;

        Assert.Equal(("/sys/fs/cgroup/my unified", "/kubepods"), (ids.MountPoint, ids.MountRoot));
        Assert.Null(CgroupIds.FromMountInfo("36 25 0:31 / /sys/fs/cgroup/memory rw shared:11 - cgroup cgroup rw,memory\n"));
    }

    [RootFact]
    public void ACgroupsId_GivesItsPathAndContainer_AndARemovedOnesNothing()
    {
        _live = CgroupIds.Live() ?? throw new InvalidOperationException("this host has no cgroup2 mount");
        var container = Directory.CreateDirectory(Path.Combine(Own, "libpod-" + Container)).FullName;
        var ownId = Id(Own);
        var containerId = Id(container);

        Assert.True(_live.TryGet(ownId, out var path, out var id));
        Assert.Equal(("/" + _name, ""), (path, id));
        Assert.True(_live.TryGet(containerId, out path, out id));
        Assert.Equal(($"/{_name}/libpod-{Container}", Container), (path, id));

        Directory.Delete(container);
        var fresh = new CgroupIds(_live.MountPoint, _live.MountRoot);
        Assert.False(fresh.TryGet(containerId, out path, out id));
        Assert.Equal(("", ""), (path, id));
        Assert.True(fresh.TryGet(ownId, out path, out _));
        Assert.Equal("/" + _name, path);
    }

    // Inside a cgroup namespace, or with a subtree bind-mounted, the mount's directory is not the hierarchy's root.
    [RootFact]
    public void AMountOfASubtree_PrefixesItsRoot()
    {
        _live = CgroupIds.Live() ?? throw new InvalidOperationException("this host has no cgroup2 mount");
        Directory.CreateDirectory(Own);

        var ids = new CgroupIds(_live.MountPoint, "/kubepods/pod1");

        Assert.True(ids.TryGet(Id(Own), out var path, out _));
        Assert.Equal($"/kubepods/pod1/{_name}", path);
        Assert.True(ids.TryGet(Id(_live.MountPoint), out path, out _));
        Assert.Equal("/kubepods/pod1", path);
    }

    // A cgroup directory's inode number is its kernfs id, the id bpf_get_current_cgroup_id gives.
    private static ulong Id(string directory)
    {
        Assert.True(Libc.TryStat(directory, out var stat));
        return stat.stx_ino;
    }
}
