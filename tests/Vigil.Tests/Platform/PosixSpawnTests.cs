using Vigil.Platform;
using Xunit;

namespace Vigil.Tests.Platform;

public class PosixSpawnTests
{
    [Fact]
    public void Start_PassesArgumentsAndEnvironment_AndTryReapGivesTheExitStatus()
    {
        // sh -c SCRIPT NAME ARGS: $0 is NAME, $# counts ARGS; PATH comes from this process's environment.
        var pid = PosixSpawn.Start("/bin/sh", ["-c", "[ -n \"$PATH\" ] && [ \"$0\" = name ] && exit $(( $# + 40 ))", "name", "a b", "c"]);

        Assert.True(pid > 0, $"posix_spawn failed with errno {-pid}");
        Assert.True(PosixSpawn.TryReap(pid, wait: true, out var status));
        Assert.Equal(42, PosixSpawn.ExitCode(status));
    }

    [Fact]
    public void TryReap_WithoutWait_IsFalseWhileTheChildRuns()
    {
        var pid = PosixSpawn.Start("/bin/sleep", ["0.3"]);

        Assert.False(PosixSpawn.TryReap(pid, wait: false, out _));
        Assert.True(PosixSpawn.TryReap(pid, wait: true, out var status));
        Assert.Equal(0, PosixSpawn.ExitCode(status));
    }

    [Fact]
    public void Start_OfAMissingProgram_ReturnsENOENT() =>
        Assert.Equal(-2, PosixSpawn.Start("/nonexistent/vigil-test-program", []));
}
