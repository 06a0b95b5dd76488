using Vigil.Daemon;
using Vigil.Flags;
using Vigil.Rules;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>The never rules a config reload computes: the new config's exclusions, then those of the flags.</summary>
public sealed class ExclusionReloadTests
{
    [Fact]
    public void ReloadedConfig_ReplacesTheConfigExclusions_KeepsTheFlagOnes_AndExpandsGlobsAgain()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-reload-");
        try
        {
            var flags = FlagParser.ForVigil().Parse(["--audit_allow_process_events=true", "--audit_exclude_exe=/usr/bin/id"]).Values;
            var settings = DaemonSettings.FromFlags(flags, """{"exclude": [{"exe": "/usr/bin/true"}]}""");
            Assert.Equal("/usr/bin/id", Assert.Single(settings.Ingest.FlagExclusions).Exe);
            Assert.Equal(
                [
                    "-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/true -F key=vigil",
                    "-a never,exit -F arch=b32 -S execve,execveat -F exe=/usr/bin/true -F key=vigil",
                    "-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/id -F key=vigil",
                    "-a never,exit -F arch=b32 -S execve,execveat -F exe=/usr/bin/id -F key=vigil",
                ],
                settings.Ingest.Kernel.ExclusionRules.Select(r => r.ToAuditctlText()));

            var glob = $$"""{"exclude": [{"exe": "{{dir.FullName}}/tool*", "syscalls": ["execve"]}]}""";
            Assert.Equal(
                [
                    "-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/id -F key=vigil",
                    "-a never,exit -F arch=b32 -S execve,execveat -F exe=/usr/bin/id -F key=vigil",
                ],
                settings.Ingest.ExclusionRulesFor(glob).Select(r => r.ToAuditctlText()));

            File.WriteAllText(Path.Combine(dir.FullName, "tool-a"), "");
            Assert.Equal(
                [
                    $"-a never,exit -F arch=b64 -S execve -F exe={dir.FullName}/tool-a -F key=vigil",
                    $"-a never,exit -F arch=b32 -S execve -F exe={dir.FullName}/tool-a -F key=vigil",
                    "-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/id -F key=vigil",
                    "-a never,exit -F arch=b32 -S execve,execveat -F exe=/usr/bin/id -F key=vigil",
                ],
                settings.Ingest.ExclusionRulesFor(glob).Select(r => r.ToAuditctlText()));

            var bad = Assert.Throws<AuditExclusionException>(() => settings.Ingest.ExclusionRulesFor("""{"exclude": [{"exe": "id"}]}"""));
            Assert.Equal("audit.exclude[0]: exe must be an absolute path (got 'id')", bad.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
