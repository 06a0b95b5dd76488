using Vigil.Flags;
using Vigil.Pipeline;
using Xunit;

namespace Vigil.Tests.Pipeline;

/// <summary>osquery's fork and kill flags: their defaults, and the syscalls they add to the kernel rules only when they ask.</summary>
public sealed class ProcessFlagsTests
{
    [Fact]
    public void By_default_only_execs_are_audited_for_process_events()
    {
        var options = Options();

        Assert.Equal(["execve", "execveat"], options.Kernel.Syscalls());
        Assert.False(options.Processes.AllowFork);
        Assert.False(options.Processes.AllowKill);
        Assert.Equal("Allow the audit publisher to install process event monitoring rules to capture fork/vfork/clone system calls", VigilFlags.AuditAllowForkProcessEvents.Description);
        Assert.Equal("Allow the audit publisher to install process event monitoring rules to capture kill/tkill/tgkill system calls", VigilFlags.AuditAllowKillProcessEvents.Description);
    }

    [Fact]
    public void The_flags_add_the_fork_and_kill_calls()
    {
        var options = Options("--audit_allow_fork_process_events=true", "--audit_allow_kill_process_events=true");

        Assert.Equal(["execve", "execveat", "fork", "vfork", "clone", "clone3", "kill", "tkill", "tgkill"], options.Kernel.Syscalls());
        Assert.True(options.Processes.AllowFork);
        Assert.True(options.Processes.AllowKill);
    }

    [Fact]
    public void Hashing_executables_is_off_by_default_and_done_where_rows_wait_for_the_store()
    {
        Assert.Null(Options().Store.Completion);
        var options = Options("--audit_hash_executables=true");

        Assert.True(options.Processes.HashExecutables);
        Assert.IsType<Vigil.Tables.ExecutableHashes>(options.Store.Completion);
        Assert.Equal(["execve", "execveat"], options.Kernel.Syscalls());
    }

    // As in osquery, the fork and kill rules belong to process_events and come only with it.
    [Fact]
    public void Without_process_events_the_flags_add_nothing()
    {
        var options = Options("--audit_allow_process_events=false", "--audit_allow_fork_process_events=true", "--audit_allow_kill_process_events=true");

        Assert.Empty(options.Kernel.Syscalls());
        Assert.False(options.Processes.AllowFork);
    }

    private static IngestOptions Options(params string[] flags) => IngestOptions.FromFlags(FlagParser.ForVigil().Parse(flags).Values);
}
