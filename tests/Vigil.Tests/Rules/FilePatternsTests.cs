using Vigil.Flags;
using Vigil.KernelAbi;
using Vigil.Pipeline;
using Vigil.Rules;
using Xunit;

namespace Vigil.Tests.Rules;

public sealed class FilePatternsTests
{
    [Theory]
    [InlineData("/etc/%%", "/etc/passwd", true)]
    [InlineData("/etc/%%", "/etc/ssh/sshd_config", true)]
    [InlineData("/etc/%%", "/etc", false)]
    [InlineData("/etc/%", "/etc/passwd", true)]
    [InlineData("/etc/%", "/etc/ssh/sshd_config", false)]
    [InlineData("/home/%/.ssh/%", "/home/ann/.ssh/authorized_keys", true)]
    [InlineData("/home/%/.ssh/%", "/home/ann/x/.ssh/authorized_keys", false)]
    [InlineData("/var/log/%.log", "/var/log/syslog.log", true)]
    [InlineData("/var/log/%.log", "/var/log/syslog", false)]
    [InlineData("/var/log/app%", "/var/log/application", true)]
    [InlineData("/etc/**", "/etc/a/b", true)]
    [InlineData("/etc/*", "/etc/a/b", false)]
    [InlineData("/etc/passwd", "/etc/passwd", true)]
    [InlineData("/etc/passwd", "/etc/passwd-", false)]
    public void Matches_FollowsOsquerysWildcardRules(string pattern, string path, bool expected) =>
        Assert.Equal(expected, FilePatterns.Matches(pattern, path));

    [Fact]
    public void Roots_AreTheDirectoriesBeforeTheWildcards_RaisedToOnesThatExist_AndNotNested()
    {
        var root = Directory.CreateTempSubdirectory("vigil-patterns-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "a", "b"));
            Directory.CreateDirectory(Path.Combine(root, "c"));
            var patterns = FilePatterns.Parse(
                $$"""{"one": ["{{root}}/a/%%", "{{root}}/a/b/%.conf"], "two": ["{{root}}/c/missing/%%", "{{root}}/c/file"]}""",
                null);

            Assert.Equal([$"{root}/a", $"{root}/c"], patterns.Roots);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ExcludePaths_TakePathsOutOfTheirOwnCategoryOnly()
    {
        var patterns = FilePatterns.Parse(
            """{"etc": ["/etc/%%"], "ssh": ["/etc/ssh/%"]}""",
            """{"etc": ["/etc/ssh/%%", "/etc/shadow"]}""");

        Assert.True(patterns.IsWatched("/etc/passwd"));
        Assert.False(patterns.IsWatched("/etc/shadow"));
        Assert.True(patterns.IsWatched("/etc/ssh/sshd_config"));
        Assert.False(patterns.IsWatched("/etc/ssh/keys/host"));
        Assert.False(patterns.IsWatched("/usr/passwd"));
    }

    [Theory]
    [InlineData("""["/etc/%%"]""", null, "file_paths: must be an object of categories, each a list of paths")]
    [InlineData("""{"etc": "/etc/%%"}""", null, "file_paths.etc: must be a list of paths")]
    [InlineData("""{"etc": ["etc/%%"]}""", null, "file_paths.etc: 'etc/%%' is not an absolute path")]
    [InlineData(null, """{"etc": [3]}""", "exclude_paths.etc: '3' is not an absolute path")]
    public void ABadEntry_IsNamed(string? filePaths, string? excludePaths, string message) =>
        Assert.Equal(message, Assert.Throws<AuditExclusionException>(() => FilePatterns.Parse(filePaths, excludePaths)).Message);

    [Fact]
    public void TheFlags_GiveDirRulesRoots_AndExclusionsThatCoverTheFileSyscalls()
    {
        var flags = FlagParser.ForVigil().Parse(["--audit_allow_fim_events=true", "--audit_allow_process_events=false", "--audit_allow_user_events=false"]).Values;
        var options = IngestOptions.FromFlags(flags, """{"exclude": [{"uid": 33}]}""", """{"tmp": ["/tmp/%%"]}""");

        Assert.True(options.FileEvents);
        Assert.Equal(["/tmp"], options.Kernel.FileRoots);
        Assert.Empty(options.Kernel.Syscalls());
        var exclusion = options.Kernel.ExclusionRules[0];
        Assert.True(SyscallTable.TryGetNumber(SyscallTable.ArchX86_64, "openat", out var openat));
        Assert.True(exclusion.HasSyscall(openat));
        Assert.Equal("-a never,exit -F arch=b64 -S open,truncate,rename,creat,link,unlink,symlink,openat,unlinkat,renameat,linkat,symlinkat,renameat2,openat2 -F uid=33 -F key=vigil", exclusion.ToAuditctlText());
    }

    [Fact]
    public void WithoutTheAllowFlag_FilePathsWatchNothing()
    {
        var options = IngestOptions.FromFlags(FlagValues.Defaults, null, """{"tmp": ["/tmp/%%"]}""");

        Assert.False(options.FileEvents);
        Assert.Empty(options.Kernel.FileRoots);
    }
}
