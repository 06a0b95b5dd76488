using Vigil.Kernel;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Rules;
using Xunit;

namespace Vigil.Tests.Kernel;

public class AuditStatusReportTests
{
    [Fact]
    public void Renders_status_features_rules_and_the_owner_warning()
    {
        var status = new AuditStatus
        {
            Enabled = 1, Failure = 1, Pid = 123, BacklogLimit = 8192, Lost = 4, Backlog = 2,
            FeatureBitmap = (AuditFeatureBitmap)0x7f, BacklogWaitTime = 60000, BacklogWaitTimeActual = 3,
        };
        var features = new AuditFeatures { Version = 1, Features = AuditFeatures.LoginUidImmutable };
        var rules = new List<AuditRule> { AuditRule.ForSyscalls(SyscallTable.ArchX86_64, ["execve"], "vigil") };

        var text = AuditStatusReport.Render(status, features, rules, pid => pid == 123 ? "auditd" : null);

        Assert.Equal(
            """
            enabled 1
            failure 1
            pid 123 (auditd)
            rate_limit 0
            backlog_limit 8192
            lost 4
            backlog 2
            backlog_wait_time 60000
            backlog_wait_time_actual 3
            loginuid_immutable 1 unlocked
            features 0x7f backlog_limit backlog_wait_time executable_path exclude_extend sessionid_filter lost_reset filter_fs
            -a always,exit -F arch=b64 -S execve -F key=vigil
            warning: the audit socket is owned by pid 123 (auditd); Vigil would read in multicast mode

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void A_clean_kernel_has_no_rules_and_no_warning()
    {
        var status = new AuditStatus { Failure = 1, BacklogLimit = 64, BacklogWaitTime = 15000, FeatureBitmap = AuditFeatureBitmap.BacklogLimit };

        var text = AuditStatusReport.Render(status, default, [], _ => null);

        Assert.EndsWith("loginuid_immutable 0 unlocked\nfeatures 0x1 backlog_limit\nNo rules\n", text);
        Assert.StartsWith("enabled 0\nfailure 1\npid 0\n", text);
    }
}
