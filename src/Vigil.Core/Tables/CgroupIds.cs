using System.Runtime.InteropServices;
using System.Text;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// The unified (v2) cgroup hierarchy's paths by cgroup id, the id the BPF programs read from the task at each event
/// (bpf_get_current_cgroup_id: the cgroup directory's kernfs node). The BPF source's rows name their cgroup and
/// container from it without reading /proc, which would cost a failing open for every process already gone. An id
/// seen for the first time is opened by its kernfs file handle and its path read back from the descriptor; a cgroup
/// removed since is remembered as unknown. On a hybrid host runc places a container's processes in the unified
/// hierarchy as in its v1 ones, so the path is the one audit's rows read from /proc/PID/cgroup; a host with no cgroup2
/// mount answers nothing.
/// </summary>
public sealed unsafe class CgroupIds
{
    // Ids are never reused; this bounds what the ids of removed cgroups can hold.
    private const int MaxIds = 4096;

    private readonly Dictionary<ulong, (string Path, string ContainerId)> _paths = [];

    /// <summary>The hierarchy mounted at <paramref name="mountPoint"/>, whose directory is <paramref name="mountRoot"/> of the hierarchy.</summary>
    public CgroupIds(string mountPoint, string mountRoot)
    {
        MountPoint = mountPoint.TrimEnd('/');
        MountRoot = mountRoot;
    }

    /// <summary>Where the hierarchy is mounted.</summary>
    public string MountPoint { get; }

    /// <summary>The hierarchy's directory the mount shows (/ but in a cgroup namespace or for a bind-mounted subtree).</summary>
    public string MountRoot { get; }

    /// <summary>The live host's unified hierarchy, or null when none is mounted.</summary>
    public static CgroupIds? Live() => HostFacts.ReadText("/proc/self/mountinfo") is { } mountInfo ? FromMountInfo(mountInfo) : null;

    /// <summary>The first cgroup2 mount of a mountinfo text (proc(5)), or null when it has none.</summary>
    public static CgroupIds? FromMountInfo(string mountInfo)
    {
        foreach (var line in mountInfo.Split('\n'))
        {
            // ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0 || !line.AsSpan(separator + 3).StartsWith("cgroup2 "))
            {
                continue;
            }

            var fields = line[..separator].Split(' ');
            if (fields.Length >= 5)
            {
                return new CgroupIds(MountsTable.Unescape(fields[4]), MountsTable.Unescape(fields[3]));
            }
        }

        return null;
    }

    /// <summary>The path of cgroup <paramref name="id"/> and the container it names ('' outside containers); false when unknown.</summary>
    public bool TryGet(ulong id, out string path, out string containerId)
    {
        if (!_paths.TryGetValue(id, out var known))
        {
            if (_paths.Count >= MaxIds)
            {
                _paths.Clear();
            }

            if (Resolve(id) is not { } found)
            {
                (path, containerId) = (string.Empty, string.Empty);
                return false;
            }

            known = (found, found.Length > 0 && ProcessCgroup.TryFindContainerId(found, out var container) ? container.ToString() : string.Empty);
            _paths[id] = known;
        }

        (path, containerId) = known;
        return path.Length > 0;
    }

    // The path; '' when none will be found (the cgroup is gone, this mount does not show it, or this process may not
    // open file handles), kept, since an id never comes back; null when it could not be learned now (no descriptor or
    // memory left), not kept, so that the next event asks again. The mount is opened for each new id rather than
    // held: new ids are few (a cgroup's first event), and a context owns no descriptor to give back.
    private string? Resolve(ulong id)
    {
        // Not O_PATH: open_by_handle_at refuses a descriptor that does not open its file (EBADF).
        var mount = Libc.open(MountPoint, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        if (mount < 0)
        {
            return NoneOrRetry(Marshal.GetLastPInvokeError());
        }

        var handle = new Libc.KernfsFileHandle { handle_bytes = sizeof(ulong), handle_type = Libc.FILEID_KERNFS, id = id };
        var fd = Libc.open_by_handle_at(mount, &handle, Libc.O_PATH | Libc.O_CLOEXEC);
        var error = Marshal.GetLastPInvokeError();
        Libc.close(mount);
        if (fd < 0)
        {
            return NoneOrRetry(error);
        }

        try
        {
            return PathOf(fd);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private string? PathOf(int fd)
    {
        const int Capacity = 4096;
        var target = stackalloc byte[Capacity];
        var length = Libc.readlink($"/proc/self/fd/{fd}", target, Capacity);
        if (length <= 0 || length == Capacity)
        {
            return string.Empty;
        }

        // A cgroup outside what this mount shows (another namespace's) has no path here.
        var opened = Encoding.UTF8.GetString(target, (int)length);
        if (opened != MountPoint && !opened.StartsWith(MountPoint + "/", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var relative = opened.AsSpan(MountPoint.Length).TrimStart('/');
        return MountRoot == "/" ? "/" + relative.ToString()
            : relative.IsEmpty ? MountRoot
            : MountRoot.TrimEnd('/') + "/" + relative.ToString();
    }

    private static string? NoneOrRetry(int error) => error is Libc.EMFILE or Libc.ENFILE or Libc.ENOMEM or Libc.EINTR ? null : string.Empty;
}
