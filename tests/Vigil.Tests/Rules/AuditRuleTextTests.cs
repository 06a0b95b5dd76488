using Vigil.KernelAbi;
using Vigil.Rules;
using Xunit;

namespace Vigil.Tests.Rules;

// Expected texts are what auditctl -l printed on this machine for the same rules.
public class AuditRuleTextTests
{
    private const uint B64 = SyscallTable.ArchX86_64;

    private static AuditRuleField F(AuditField field, AuditOperator op, uint value) => AuditRuleField.Number(field, op, value);

    private static AuditRuleField S(AuditField field, string text) => AuditRuleField.String(field, AuditOperator.Equal, text);

    [Fact]
    public void Syscall_rule_with_key() =>
        Assert.Equal(
            "-a always,exit -F arch=b64 -S execve,execveat -F key=vigil",
            AuditRule.ForSyscalls(B64, ["execveat", "execve"], "vigil").ToAuditctlText());

    [Fact]
    public void Syscalls_print_in_number_order() =>
        Assert.Equal(
            "-a always,exit -F arch=b64 -S connect,accept -F key=external-access",
            AuditRule.ForSyscalls(B64, ["accept", "connect"], "external-access").ToAuditctlText());

    [Fact]
    public void I386_rule_uses_i386_names() =>
        Assert.Equal(
            "-a always,exit -F arch=b32 -S execve,connect -F key=vigil",
            AuditRule.ForSyscalls(SyscallTable.ArchI386, ["connect", "execve"], "vigil").ToAuditctlText());

    [Fact]
    public void Socketcall_rule_names_its_call_in_a0() =>
        Assert.Equal(
            "-a always,exit -F arch=b32 -S socketcall -F a0=0x3 -F key=vigil",
            AuditRule.ForSocketCall(SyscallTable.ArchI386, SocketCall.Connect, AuditRuleAction.Always).WithKey("vigil").ToAuditctlText());

    [Fact]
    public void Never_rule_for_a_pid()
    {
        var rule = new AuditRule { Action = AuditRuleAction.Never }.AddAllSyscalls();
        rule.Fields.Add(F(AuditField.Arch, AuditOperator.Equal, B64));
        rule.Fields.Add(F(AuditField.Pid, AuditOperator.Equal, 1234));

        Assert.Equal("-a never,exit -F arch=b64 -S all -F pid=1234", rule.ToAuditctlText());
    }

    [Fact]
    public void Process_exclusion_prints_without_the_prepend_flag() =>
        Assert.Equal(
            "-a never,exit -F arch=b64 -S all -F pid=77 -F key=vigil",
            AuditRule.ForProcessExclusion(B64, 77, "vigil").ToAuditctlText());

    [Fact]
    public void Watch_with_perm_and_key()
    {
        var rule = new AuditRule().AddAllSyscalls();
        rule.Fields.Add(S(AuditField.Watch, "/etc/passwd"));
        rule.Fields.Add(F(AuditField.Perm, AuditOperator.Equal, 2 | 8));
        rule.Fields.Add(S(AuditField.FilterKey, "x"));

        Assert.Equal("-w /etc/passwd -p wa -k x", rule.ToAuditctlText());
    }

    [Fact]
    public void Directory_watch_with_all_perms()
    {
        var rule = new AuditRule().AddAllSyscalls();
        rule.Fields.Add(S(AuditField.Dir, "/var/log"));
        rule.Fields.Add(F(AuditField.Perm, AuditOperator.Equal, 15));

        Assert.Equal("-w /var/log -p rwxa", rule.ToAuditctlText());
    }

    [Fact]
    public void A_path_rule_with_arch_is_not_shown_as_a_watch()
    {
        var rule = new AuditRule().AddAllSyscalls();
        rule.Fields.Add(F(AuditField.Arch, AuditOperator.Equal, B64));
        rule.Fields.Add(S(AuditField.Watch, "/x"));
        rule.Fields.Add(F(AuditField.Perm, AuditOperator.Equal, 4));

        Assert.Equal("-a always,exit -F arch=b64 -S all -F path=/x -F perm=r", rule.ToAuditctlText());
    }

    [Fact]
    public void Arch_prints_first_whatever_its_position()
    {
        var rule = new AuditRule().AddSyscall(2);
        rule.Fields.Add(F(AuditField.LoginUid, AuditOperator.Equal, 0));
        rule.Fields.Add(F(AuditField.Arch, AuditOperator.Equal, B64));

        Assert.Equal("-a always,exit -F arch=b64 -S open -F auid=0", rule.ToAuditctlText());
    }

    [Fact]
    public void Operators_unset_ids_and_errno_names()
    {
        var rule = new AuditRule().AddSyscall(2);
        rule.Fields.Add(F(AuditField.Arch, AuditOperator.Equal, B64));
        rule.Fields.Add(F(AuditField.Exit, AuditOperator.Equal, unchecked((uint)-13)));
        rule.Fields.Add(F(AuditField.LoginUid, AuditOperator.GreaterThanOrEqual, 1000));
        rule.Fields.Add(F(AuditField.LoginUid, AuditOperator.NotEqual, uint.MaxValue));
        rule.Fields.Add(F(AuditField.Arg1, AuditOperator.BitMask, 3));
        rule.Fields.Add(F(AuditField.Ppid, AuditOperator.LessThan, 5));

        Assert.Equal(
            "-a always,exit -F arch=b64 -S open -F exit=-EACCES -F auid>=1000 -F auid!=-1 -F a1&0x3 -F ppid<5",
            rule.ToAuditctlText());
    }

    [Fact]
    public void Field_compare_prints_as_dash_c()
    {
        var rule = new AuditRule().AddSyscall(59);
        rule.Fields.Add(F(AuditField.Arch, AuditOperator.Equal, B64));
        rule.Fields.Add(F(AuditField.FieldCompare, AuditOperator.NotEqual, 11));
        rule.Fields.Add(F(AuditField.Euid, AuditOperator.Equal, 0));

        Assert.Equal("-a always,exit -F arch=b64 -S execve -C uid!=euid -F euid=0", rule.ToAuditctlText());
    }

    [Fact]
    public void Exclude_and_user_lists_have_no_syscalls()
    {
        var exclude = new AuditRule { List = AuditFilterList.Exclude }.AddAllSyscalls();
        exclude.Fields.Add(F(AuditField.MessageType, AuditOperator.Equal, 1320));
        var user = new AuditRule { List = AuditFilterList.User }.AddAllSyscalls();
        user.Fields.Add(F(AuditField.Uid, AuditOperator.Equal, 0));

        Assert.Equal("-a always,exclude -F msgtype=EOE", exclude.ToAuditctlText());
        Assert.Equal("-a always,user -F uid=0", user.ToAuditctlText());
    }

    [Fact]
    public void Exit_rule_without_arch_over_all_syscalls()
    {
        var rule = new AuditRule().AddAllSyscalls();
        rule.Fields.Add(F(AuditField.LoginUid, AuditOperator.Equal, 5));

        Assert.Equal("-a always,exit -S all -F auid=5", rule.ToAuditctlText());
    }
}
