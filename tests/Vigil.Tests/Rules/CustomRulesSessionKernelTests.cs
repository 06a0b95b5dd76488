using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Rules;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Rules;

[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class CustomRulesSessionKernelTests(KernelAuditFixture fixture)
{
    [KernelFact]
    public void Custom_rules_go_after_vigils_own_prepended_ones_before_its_exclusion_and_only_added_ones_are_removed()
    {
        var parser = AuditctlParser.ForSystem();
        var preexisting = parser.Parse("-a always,exit -F arch=b64 -S mknodat -k found").Rule!;
        var options = new KernelAuditOptions
        {
            AllowConfig = true,
            SocketType = AuditSocketType.Unicast,
            ProcessEvents = true,
            CustomRules =
            [
                parser.Parse("-a always,exit -F arch=b64 -S openat -F exit=-EACCES -k custom").Rule!,
                parser.Parse("-A never,exit -F arch=b64 -S getpid -k first").Rule!,
                preexisting,
            ],
        };
        using var control = AuditClient.OpenUnicast();
        try
        {
            control.AddRule(preexisting);
            using (var session = KernelAuditSession.Start(options))
            {
                var listed = control.ListRules().Select(r => r.ToAuditctlText()).ToArray();

                Assert.Equal(
                    [
                        $"-a never,exit -F arch=b64 -S all -F pid={Environment.ProcessId} -F key=vigil",
                        "-a never,exit -F arch=b64 -S getpid -F key=first",
                        "-a always,exit -F arch=b64 -S mknodat -F key=found",
                        "-a always,exit -F arch=b64 -S execve,execveat -F key=vigil",
                        "-a always,exit -F arch=b32 -S execve,execveat -F key=vigil",
                        "-a always,exit -F arch=b64 -S openat -F exit=-EACCES -F key=custom",
                    ],
                    listed);
                Assert.Equal(5, session.AddedRules.Count);
                Assert.Contains("custom rule already loaded, left as found: -a always,exit -F arch=b64 -S mknodat -F key=found", session.Notes);
            }

            Assert.Equal(["-a always,exit -F arch=b64 -S mknodat -F key=found"], control.ListRules().Select(r => r.ToAuditctlText()));
        }
        finally
        {
            fixture.Restore();
        }
    }

    [KernelFact]
    public void A_custom_rule_the_kernel_refuses_fails_the_start_naming_it_and_leaves_nothing_behind()
    {
        var options = new KernelAuditOptions
        {
            AllowConfig = true,
            SocketType = AuditSocketType.Unicast,
            CustomRules = [AuditctlParser.ForSystem().Parse("-a always,exit -F path=relative -F perm=r").Rule!],
        };
        try
        {
            var error = Assert.Throws<AuditNetlinkException>(() => KernelAuditSession.Start(options));

            Assert.Equal(22, error.Errno);
            Assert.Contains("custom rule '-w relative -p r'", error.Message);
            using var control = AuditClient.OpenUnicast();
            Assert.True(fixture.Snapshot!.Matches(control.GetStatus(), control.ListRuleData()));
        }
        finally
        {
            fixture.Restore();
        }
    }
}
