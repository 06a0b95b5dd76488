using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class ProcessCgroupTests
{
    private const string Id = "2926429dce9b4c424ea91c5dcfbb113669f1496a3971749bbf4d62efd4be216f";

    [Fact]
    public void A_podman_container_on_a_v1_host_is_named_by_every_hierarchy()
    {
        var text = string.Join('\n', (string[])
        [
            $"9:name=systemd:/libpod_parent/libpod-{Id}", $"8:pids:/libpod_parent/libpod-{Id}",
            $"4:memory:/libpod_parent/libpod-{Id}", $"0::/libpod_parent/libpod-{Id}", "",
        ]);

        Assert.Equal(($"/libpod_parent/libpod-{Id}", Id), ProcessCgroup.Parse(text));
    }

    // This project's CI host: its own container manager names it in the memory controller with 32 hex digits, which is
    // no runtime's id; systemd's hierarchy is the one that names containers.
    [Fact]
    public void A_host_process_on_a_v1_host_has_systemds_path_and_no_container()
    {
        const string text = "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/d4dc234b5bdeafeb25ed0c67e56060c1\n1:cpu:/\n0::/\n";

        Assert.Equal(("/", ""), ProcessCgroup.Parse(text));
    }

    [Theory]
    [InlineData($"0::/system.slice/docker-{Id}.scope", Id)]
    [InlineData($"12:cpu,cpuacct:/docker/{Id}", Id)]
    [InlineData($"0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0.slice/cri-containerd-{Id}.scope", Id)]
    [InlineData($"0::/kubepods/besteffort/pod0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/{Id}", Id)]
    [InlineData($"0::/kubepods.slice/kubepods-pod0f1e2d3c_4b5a.slice/crio-{Id}.scope", Id)]
    [InlineData($"0::/machine.slice/libpod-{Id}.scope/container", Id)]
    [InlineData($"0::/machine.slice/libpod-conmon-{Id}.scope", "")]
    [InlineData("0::/user.slice/user-1000.slice/session-3.scope", "")]
    [InlineData($"0::/docker/{Id}0", "")]
    [InlineData("0::/docker/2926429DCE9B4C424EA91C5DCFBB113669F1496A3971749BBF4D62EFD4BE216F", "")]
    public void Container_ids_of_each_runtime_are_parsed_and_nothing_else(string line, string id)
    {
        Assert.Equal(id, ProcessCgroup.Parse(line).ContainerId);
        Assert.Equal(line[(line.IndexOf(':', line.IndexOf(':') + 1) + 1)..], ProcessCgroup.Parse(line).Path);
    }

    [Fact]
    public void No_text_is_no_cgroup()
    {
        Assert.Equal(("", ""), ProcessCgroup.Parse(""));
    }

    [Fact]
    public void A_live_process_has_its_proc_cgroup_and_one_that_exited_none()
    {
        using var child = System.Diagnostics.Process.Start("/bin/true")!;
        child.WaitForExit();

        Assert.Equal(File.ReadAllText("/proc/self/cgroup"), ProcProcesses.Instance.ReadCgroup(Environment.ProcessId));
        Assert.Null(ProcProcesses.Instance.ReadCgroup(child.Id));
    }
}
