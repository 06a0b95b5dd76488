using Vigil.Flags;
using Vigil.Netlink;
using Xunit;

namespace Vigil.Tests.Flags;

public class FlagHelpTests
{
    [Fact]
    public void Format_AlignsNamesAndShowsDefaults()
    {
        var text = FlagHelp.Format([VigilFlags.Verbose, VigilFlags.AuditSocketType, VigilFlags.EventsMax, VigilFlags.AuditLogFile, VigilFlags.Flagfile]);
        Assert.Equal(
            "  --verbose                                   Log informational status messages (default: false)\n" +
            "  --audit_socket_type auto|unicast|multicast  Receive records as the audit owner (unicast) or as a multicast reader (default: auto)\n" +
            "  --events_max N                              Most events kept per table; the oldest go first (default: 50000)\n" +
            "  --audit_log_file VALUE                      Read records from this auditd log file instead of the kernel (repeatable)\n" +
            "  --flagfile VALUE                            Read flags from this file, one --name=value per line ('#' starts a comment line)\n",
            text);
    }

    [Fact]
    public void Format_ShowsAOneLetterFormBeforeTheName()
    {
        Assert.Equal(
            "  -n, --stress_intensity N  vigil stress: launch this many marked shells as fast as possible (default: 0)\n",
            FlagHelp.Format([VigilFlags.StressIntensity]));
    }

    [Fact]
    public void All_IsSortedAndUnique()
    {
        for (var i = 1; i < VigilFlags.All.Count; i++)
        {
            Assert.True(string.CompareOrdinal(VigilFlags.All[i - 1].Name, VigilFlags.All[i].Name) < 0, VigilFlags.All[i].Name);
        }
    }
}
