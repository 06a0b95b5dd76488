using Vigil.Daemon;
using Vigil.Events;
using Vigil.Tests.Schedule;
using Xunit;

namespace Vigil.Tests.Daemon;

public sealed class UnknownSyscallWatchTests
{
    [Fact]
    public void Warns_once_per_check_in_which_more_events_were_not_named_counting_those_before_the_first()
    {
        var status = new RecordingStatusLog();
        var counters = new IngestCounters { UnknownArchEvents = 2, LastUnknownArch = 0xC0000008, LastUnknownSyscall = 5057 };
        var watch = new UnknownSyscallWatch(counters, status);

        Assert.Equal(2, watch.Check());
        Assert.Equal(0, watch.Check());
        counters.UnknownSyscallEvents = 1;
        counters.LastUnknownArch = 0xC000003E;
        counters.LastUnknownSyscall = 999;
        Assert.Equal(1, watch.Check());

        Assert.Equal(
            [
                "WARNING 2 events of an architecture without a syscall table and 0 of a syscall missing from its architecture's table made no rows (the last: arch=c0000008 syscall=5057)",
                "WARNING 2 events of an architecture without a syscall table and 1 of a syscall missing from its architecture's table made no rows (the last: arch=c000003e syscall=999)",
            ],
            status.Lines);
    }
}
