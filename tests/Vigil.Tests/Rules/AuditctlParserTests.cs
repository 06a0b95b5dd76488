using Vigil.KernelAbi;
using Vigil.Rules;
using Xunit;

namespace Vigil.Tests.Rules;

public sealed class AuditctlParserTests
{
    private static readonly AuditctlParser Parser = new(AccountNames.FromText(
        "root:x:0:0:root:/root:/bin/bash\nchrony:x:118:124::/var/lib/chrony:/usr/sbin/nologin\n",
        "root:x:0:\nwheel:x:10:alice\n"));

    [Theory]
    [InlineData("-a always,exit -F arch=b64 -S open -F uid=chrony -F gid=wheel -F auid!=unset", "-a always,exit -F arch=b64 -S open -F uid=118 -F gid=10 -F auid!=-1")]
    [InlineData("-a exit,never -F arch=b32 -S 5,6 -S close -F a1&0100 -F a0=-1", "-a never,exit -F arch=b32 -S open,close -F a1&0x40 -F a0=0xFFFFFFFF")]
    [InlineData("-a always,exit -F arch=b64 -S openat -F exit=EPERM -F exit!=-EACCES -k a -F key=b", "-a always,exit -F arch=b64 -S openat -F exit=1 -F exit!=-EACCES -F key=a -F key=b")]
    [InlineData("-a always,exit -F arch=b64 -S open -C loginuid!=obj_uid -C euid=uid -F success>=0 -F pid<=5 -F ppid<9 -F inode>3 -F devmajor&=8", "-a always,exit -F arch=b64 -S open -C auid!=obj_uid -C uid=euid -F success>=0 -F pid<=5 -F ppid<9 -F inode>3 -F devmajor&=8")]
    [InlineData("-a always,exclude -F msgtype=CRYPTO_KEY_USER", "-a always,exclude -F msgtype=CRYPTO_KEY_USER")]
    [InlineData("-a never,filesystem -F fstype=debugfs", "-a never,filesystem -F fstype=debugfs")]
    [InlineData("-a task,never", "-a never,task")]
    [InlineData("-a always,exit -S all -F exit=-EINVAL", "-a always,exit -S all -F exit=-EINVAL")]
    [InlineData("-w /no/such/file -p rx -k one -k two", "-w /no/such/file -p rx -k one -k two")]
    public void A_line_parses_to_the_rule_auditctl_lists(string line, string listed)
    {
        var command = Parser.Parse(line);

        Assert.Equal(AuditctlCommandKind.AddRule, command.Kind);
        Assert.Equal(listed, AuditRule.Decode(command.Rule!.Encode()).ToAuditctlText());
    }

    [Fact]
    public void A_directory_watch_is_a_dir_field_with_trailing_slashes_trimmed_and_every_permission()
    {
        var rule = Parser.Parse("-w /etc/// -k cfg").Rule!;

        Assert.Equal(
            [
                AuditRuleField.String(AuditField.Dir, AuditOperator.Equal, "/etc"),
                AuditRuleField.Number(AuditField.Perm, AuditOperator.Equal, 15),
                AuditRuleField.String(AuditField.FilterKey, AuditOperator.Equal, "cfg"),
            ],
            rule.Fields);
        Assert.True(rule.AllSyscalls);
    }

    [Fact]
    public void Prepend_and_delete_lines_keep_their_kind()
    {
        Assert.True(Parser.Parse("-A always,exit -F arch=b64 -S open").Rule!.Prepend);
        Assert.Equal(AuditctlCommandKind.DeleteRule, Parser.Parse("-d always,exit -F arch=b64 -S open").Kind);
        Assert.Equal(AuditctlCommandKind.DeleteRule, Parser.Parse("-W /etc/hosts").Kind);
    }

    [Theory]
    [InlineData("-D", AuditctlCommandKind.DeleteAll, 0u)]
    [InlineData("-b 8192", AuditctlCommandKind.SetBacklogLimit, 8192u)]
    [InlineData("--backlog_wait_time 60000", AuditctlCommandKind.SetBacklogWaitTime, 60000u)]
    [InlineData("-e 2", AuditctlCommandKind.SetEnabled, 2u)]
    [InlineData("-f 1", AuditctlCommandKind.SetFailure, 1u)]
    [InlineData("-r 100", AuditctlCommandKind.SetRateLimit, 100u)]
    [InlineData("-i", AuditctlCommandKind.IgnoreErrors, 0u)]
    [InlineData("-c", AuditctlCommandKind.ContinueOnError, 0u)]
    [InlineData("--loginuid-immutable", AuditctlCommandKind.LoginUidImmutable, 0u)]
    public void Control_lines_parse_to_settings(string line, AuditctlCommandKind kind, uint value)
    {
        var command = Parser.Parse(line, 7);

        Assert.Equal(new AuditctlCommand(kind, null, value, null, 7, line), command);
    }

    [Theory]
    [InlineData("-a always,exit -S open -F arch=b32", "arch must be before -S")]
    [InlineData("-a always,exclude -F success=1", "Only msgtype, *uid, *gid, pid, and subj* fields can be used with exclude filter")]
    [InlineData("-a always,task -S open", "Error: syscall auditing being added to task list")]
    [InlineData("-a always,exit -F bogus=1", "-F unknown field: bogus")]
    [InlineData("-a always,exit -F pid>=x", "-F value should be number for pid")]
    [InlineData("-a always,exit -F uid=nosuchuser", "Unknown user: nosuchuser")]
    [InlineData("-a always,exit -F gid=nosuchgroup", "Unknown group: nosuchgroup")]
    [InlineData("-a always,exit -F arch=b64 -S nosuch", "Syscall name unknown: nosuch")]
    [InlineData("-a always,user -F exit=1", "exit can only be used with exit filter list")]
    [InlineData("-a always,exit -F msgtype=1300", "msgtype field can only be used with exclude or user filter list")]
    [InlineData("-a exit -F arch=b64 -S open", "Append rule - bad keyword exit")]
    [InlineData("-a always,exit -F exit=-ENOTANERRNO", "-F unknown errno - -ENOTANERRNO")]
    [InlineData("-a always,exit -F path=/x -F perm=q", "Permission q isn't supported")]
    [InlineData("-a always,exit -C uid<euid", "-C only takes = or != operators")]
    [InlineData("-a always,exit -C uid=pid", "-C unsupported field comparison: uid=pid")]
    [InlineData("-w etc/hosts", "The path must start with '/': etc/hosts")]
    [InlineData("-b", "option -b requires an argument")]
    [InlineData("-e 3", "-e value '3' must be a number from 0 to 2")]
    [InlineData("-x", "unknown option '-x'")]
    public void A_line_auditctl_refuses_fails_with_its_reason(string line, string reason)
    {
        var error = Assert.Throws<AuditctlSyntaxException>(() => Parser.Parse(line, 12));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(12, error.LineNumber);
        Assert.Equal($"line 12: {reason}: {line}", error.Message);
    }

    [Fact]
    public void Keys_longer_than_auditctl_allows_are_refused()
    {
        var error = Assert.Throws<AuditctlSyntaxException>(() => Parser.Parse($"-w /etc/hosts -k {new string('k', 200)} -k {new string('k', 56)}"));

        Assert.Equal("key option exceeds size limit of 256", error.Reason);
    }

    [Fact]
    public void A_file_skips_comments_and_blanks_and_reports_each_bad_line_by_number()
    {
        var errors = new List<AuditctlSyntaxException>();

        var commands = Parser.ParseFile("# rules\n\n-D\n-a always,exit -S nosuch\n  -w /etc/hosts -p wa  \n-F x=1\n", errors);

        Assert.Equal([AuditctlCommandKind.DeleteAll, AuditctlCommandKind.AddRule], commands.Select(c => c.Kind));
        Assert.Equal([3, 5], commands.Select(c => c.LineNumber));
        Assert.Equal(["line 4: Syscall name unknown: nosuch: -a always,exit -S nosuch", "line 6: unknown option '-F': -F x=1"], errors.Select(e => e.Message));
    }

    [Fact]
    public void The_rules_file_flag_takes_only_rules_to_add_and_names_every_other_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "-a always,exit -F arch=b64 -S open -k x\n-D\n-w /etc/hosts\n-a always,exit -S nosuch\n");

            var error = Assert.Throws<FormatException>(() => AuditRulesFile.Read(path, Parser));

            Assert.Equal($"{path}: line 2: only rules to add (-a, -A, -w) are allowed here: -D; line 4: Syscall name unknown: nosuch: -a always,exit -S nosuch", error.Message);
            File.WriteAllText(path, "-a always,exit -F arch=b64 -S open -k x\n-w /etc/hosts\n");
            Assert.Equal(["-a always,exit -F arch=b64 -S open -F key=x", "-w /etc/hosts -p rwxa"], AuditRulesFile.Read(path, Parser).Select(r => r.ToAuditctlText()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
