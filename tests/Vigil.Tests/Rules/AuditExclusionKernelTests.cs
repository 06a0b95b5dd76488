using Vigil.Kernel;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Rules;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Rules;

[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class AuditExclusionKernelTests(KernelAuditFixture fixture) : IDisposable
{
    public void Dispose() => fixture.Restore();

    [KernelFact]
    public void An_excluded_exe_gives_no_records_and_its_never_rule_precedes_the_always_rules()
    {
        var options = new KernelAuditOptions { AllowConfig = true, SocketType = AuditSocketType.Unicast, ProcessEvents = true };
        options.ExclusionRules = AuditExclusionRules.Build([AuditExclusionParser.ForExe("/usr/bin/true")], options.Syscalls());
        using var session = KernelAuditSession.Start(options);
        var marker = $"vigil-exclude-{Guid.NewGuid():N}";

        KernelRecords.Run("/usr/bin/true", marker);
        KernelRecords.Run("/usr/bin/echo", marker);
        var records = KernelRecords.ReadUntil(session.Reader, r => r.Exists(x => x.Type == RecordType.Execve && x.Text.Contains("/usr/bin/echo", StringComparison.Ordinal) && x.Text.Contains(marker, StringComparison.Ordinal)), TimeSpan.FromSeconds(10));

        Assert.Contains(records, r => r.Type == RecordType.Execve && r.Text.Contains("a0=\"/usr/bin/echo\"", StringComparison.Ordinal) && r.Text.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r.Text.Contains("/usr/bin/true", StringComparison.Ordinal));
        using var client = AuditClient.OpenUnicast();
        var texts = client.ListRules().ConvertAll(r => r.ToAuditctlText());
        var never = texts.IndexOf("-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/true -F key=vigil");
        var always = texts.FindIndex(t => t.StartsWith("-a always,exit", StringComparison.Ordinal) && t.EndsWith("-F key=vigil", StringComparison.Ordinal));
        Assert.True(never >= 0, string.Join('\n', texts));
        Assert.True(always > never, string.Join('\n', texts));
        Assert.Contains("-a never,exit -F arch=b32 -S execve,execveat -F exe=/usr/bin/true -F key=vigil", texts);
    }
}
