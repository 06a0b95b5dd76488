using Vigil.Daemon;
using Vigil.Flags;
using Vigil.KernelAbi;
using Vigil.Rules;
using Vigil.Schedule;
using Xunit;

namespace Vigil.Tests.Rules;

public sealed class AuditExclusionTests
{
    private static readonly string[] VigilSyscalls = ["execve", "execveat", "bind", "connect"];

    private static List<string> RuleTexts(string auditJson)
    {
        var rules = AuditExclusionRules.Build(AuditExclusionParser.ParseConfig(auditJson), VigilSyscalls);
        return rules.ConvertAll(r => r.ToAuditctlText());
    }

    [Fact]
    public void Config_entries_are_read_with_their_selectors_and_syscalls()
    {
        var exclusions = AuditExclusionParser.ParseConfig(
            """{"exclude": [{"exe": "/usr/bin/awk"}, {"exe": "/usr/bin/python3.11", "syscalls": ["connect"]}, {"uid": 65534}, {"auid": 4294967295, "syscalls": ["connect"]}]}""");

        Assert.Equal(4, exclusions.Count);
        Assert.Equal(new AuditExclusion("audit.exclude[0]", "/usr/bin/awk", null, null, []).ToConfigJson(), exclusions[0].ToConfigJson());
        Assert.Equal("""{"exe": "/usr/bin/python3.11", "syscalls": ["connect"]}""", exclusions[1].ToConfigJson());
        Assert.Equal((uint)65534, exclusions[2].Uid);
        Assert.Equal(uint.MaxValue, exclusions[3].Auid);
        Assert.Equal("audit.exclude[3]", exclusions[3].Name);
    }

    [Fact]
    public void An_exe_without_syscalls_excludes_every_vigil_syscall_on_both_architectures()
    {
        Assert.Equal(
            [
                "-a never,exit -F arch=b64 -S connect,bind,execve,execveat -F exe=/usr/bin/true -F key=vigil",
                "-a never,exit -F arch=b32 -S execve,execveat,bind,connect -F exe=/usr/bin/true -F key=vigil",
                "-a never,exit -F arch=b32 -S socketcall -F a0=0x2 -F exe=/usr/bin/true -F key=vigil",
                "-a never,exit -F arch=b32 -S socketcall -F a0=0x3 -F exe=/usr/bin/true -F key=vigil",
            ],
            RuleTexts("""{"exclude": [{"exe": "/usr/bin/true"}]}"""));
    }

    [Fact]
    public void Uid_and_unset_auid_become_numeric_fields_with_the_given_syscalls()
    {
        Assert.Equal(
            [
                "-a never,exit -F arch=b64 -S connect -F uid=65534 -F key=vigil",
                "-a never,exit -F arch=b32 -S connect -F uid=65534 -F key=vigil",
                "-a never,exit -F arch=b32 -S socketcall -F a0=0x3 -F uid=65534 -F key=vigil",
                "-a never,exit -F arch=b64 -S connect -F loginuid_set=0 -F key=vigil",
                "-a never,exit -F arch=b32 -S connect -F loginuid_set=0 -F key=vigil",
                "-a never,exit -F arch=b32 -S socketcall -F a0=0x3 -F loginuid_set=0 -F key=vigil",
                "-a never,exit -F arch=b64 -S execve -F auid=1000 -F key=vigil",
                "-a never,exit -F arch=b32 -S execve -F auid=1000 -F key=vigil",
            ],
            RuleTexts("""{"exclude": [{"uid": 65534, "syscalls": ["connect"]}, {"auid": -1, "syscalls": ["connect"]}, {"auid": 1000, "syscalls": ["execve"]}]}"""));
    }

    [Fact]
    public void A_syscall_missing_on_i386_gives_the_b64_rule_and_the_socketcall_one()
    {
        Assert.Equal(
            ["-a never,exit -F arch=b64 -S accept -F uid=0 -F key=vigil", "-a never,exit -F arch=b32 -S socketcall -F a0=0x5 -F uid=0 -F key=vigil"],
            RuleTexts("""{"exclude": [{"uid": 0, "syscalls": ["accept"]}]}"""));
    }

    [Fact]
    public void A_glob_is_expanded_to_the_matching_files_with_links_resolved()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-glob-");
        try
        {
            File.WriteAllText(Path.Join(dir.FullName, "python3.11"), "");
            File.WriteAllText(Path.Join(dir.FullName, "python3.12"), "");
            File.WriteAllText(Path.Join(dir.FullName, "perl"), "");
            File.CreateSymbolicLink(Path.Join(dir.FullName, "python3"), Path.Join(dir.FullName, "python3.11"));

            var paths = AuditExclusionRules.ExpandExe(Path.Join(dir.FullName, "python3*"));

            Assert.Equal([Path.Join(dir.FullName, "python3.11"), Path.Join(dir.FullName, "python3.12")], paths);
            Assert.Empty(AuditExclusionRules.ExpandExe(Path.Join(dir.FullName, "ruby*")));
            Assert.Equal(["/no/such/exe"], AuditExclusionRules.ExpandExe("/no/such/exe"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("""{"exclude": [{"exe": "/usr/bin/true"}, {"exe": "awk"}]}""", "audit.exclude[1]: exe must be an absolute path (got 'awk')")]
    [InlineData("""{"exclude": [{"exe": "/usr/bin/true", "syscalls": ["conect"]}]}""", "audit.exclude[0]: unknown syscall 'conect'")]
    [InlineData("""{"exclude": [{"path": "/usr/bin/true"}]}""", "audit.exclude[0]: unknown key 'path' (expected exe, uid, auid, syscalls)")]
    [InlineData("""{"exclude": [{"syscalls": ["connect"]}]}""", "audit.exclude[0]: needs at least one of exe, uid, auid")]
    [InlineData("""{"exclude": [{"uid": 4294967295}]}""", "audit.exclude[0]: uid 4294967295 is not a valid user id (only auid can be unset)")]
    [InlineData("""{"exclude": [{"uid": "root"}]}""", "audit.exclude[0]: uid must be a number from 0 to 4294967295 (got \"root\")")]
    [InlineData("""{"exclude": [{"exe": "/x", "syscalls": []}]}""", "audit.exclude[0]: syscalls is empty (leave it out to exclude every syscall Vigil audits)")]
    [InlineData("""{"rules": [], "exclude": {"exe": "/x"}}""", "audit.exclude: must be a list of objects")]
    public void A_bad_entry_is_named_in_the_error(string json, string message)
    {
        var e = Assert.Throws<AuditExclusionException>(() => AuditExclusionParser.ParseConfig(json));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Other_keys_of_audit_are_left_to_their_readers()
    {
        Assert.Empty(AuditExclusionParser.ParseConfig("""{"rules": ["-w /etc/passwd -p wa"]}"""));
        Assert.Empty(AuditExclusionParser.ParseConfig(null));
    }

    [Fact]
    public void The_daemon_settings_turn_the_config_exclusions_into_never_rules()
    {
        var flags = Vigil.Flags.FlagParser.ForVigil().Parse(["--audit_allow_process_events=true"]).Values;

        var settings = Vigil.Daemon.DaemonSettings.FromFlags(flags, """{"exclude": [{"exe": "/usr/bin/true"}]}""");

        Assert.Equal(
            [
                "-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/true -F key=vigil",
                "-a never,exit -F arch=b32 -S execve,execveat -F exe=/usr/bin/true -F key=vigil",
            ],
            settings.Ingest.Kernel.ExclusionRules.Select(r => r.ToAuditctlText()));
        Assert.Equal("/usr/bin/true", Assert.Single(settings.Ingest.Exclusions).Exe);
    }

    [Fact]
    public void The_flag_form_needs_an_absolute_path()
    {
        Assert.Equal("/usr/bin/awk", AuditExclusionParser.ForExe("/usr/bin/awk").Exe);
        var e = Assert.Throws<AuditExclusionException>(() => AuditExclusionParser.ForExe("awk"));
        Assert.Equal("--audit_exclude_exe: exe must be an absolute path (got 'awk')", e.Message);
    }

    [Fact]
    public void The_config_loader_reports_a_bad_exclusion_as_a_config_error()
    {
        var check = ConfigLoader.Parse("""{"audit": {"exclude": [{"exe": "true"}]}}""", "vigil.conf", null);

        var error = Assert.Single(check.Errors);
        Assert.Equal("audit", error.KeyPath);
        Assert.Equal("audit.exclude[0]: exe must be an absolute path (got 'true')", error.Reason);
    }

    [Fact]
    public void Exclusion_rules_do_not_go_to_the_head_of_the_list()
    {
        var rule = Assert.IsType<AuditRule>(AuditExclusionRules.Build([AuditExclusionParser.ForExe("/usr/bin/true")], ["execve"])[0]);

        Assert.False(rule.Prepend);
        Assert.Equal(AuditRuleAction.Never, rule.Action);
        Assert.Equal(AuditFilterList.Exit, rule.List);
    }
}
