using System.Diagnostics;
using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Rules;
using Vigil.Tests.Daemon;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Remote;

/// <summary>
/// The built <c>vigil daemon</c> collecting from the kernel under a config served by <see cref="FleetTestServer"/>,
/// logging through the TLS logger: a marked exec logged by a query only the served config has, its exclusions as
/// kernel rules, a 30 s outage of the server, and a SIGKILL while a batch is unanswered.
/// </summary>
[Collection("Kernel")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FleetKernelTests : IAsyncLifetime
{
    private readonly AuditState? _before = KernelFactAttribute.SkipReason() is null ? DaemonHarness.CaptureState() : null;
    private readonly FleetHarness _fleet = new(audit: true);

    public Task InitializeAsync() => _fleet.Server.StartAsync();

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        if (_before is not null)
        {
            DaemonHarness.RestoreKernel(_before);
        }
    }

    [KernelFact]
    public void TheServedConfig_LogsAMarkedExec_AndItsExclusionsBecomeKernelRules_AlsoWhenItChanges()
    {
        _fleet.Server.Config = Config("vigil-served-", """[{"exe": "/usr/bin/sleep"}]""");
        var daemon = _fleet.Start();
        Assert.Equal(
            [
                "-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/sleep -F key=vigil",
                "-a never,exit -F arch=b32 -S execve,execveat -F exe=/usr/bin/sleep -F key=vigil",
            ],
            ExclusionRules());

        var marker = Exec("vigil-served-" + Guid.NewGuid().ToString("N"));
        _fleet.WaitFor(() => Cmdlines("procs").Contains(marker), 10, $"no line for {marker}");

        _fleet.Server.Config = Config("vigil-served-", """[{"exe": "/usr/bin/env"}]""");
        _fleet.Daemon.WaitForInfo("Audit exclusions reloaded: 2 rules (2 added, 2 removed)", 1, TimeSpan.FromSeconds(10));
        Assert.Equal(
            [
                "-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/env -F key=vigil",
                "-a never,exit -F arch=b32 -S execve,execveat -F exe=/usr/bin/env -F key=vigil",
            ],
            ExclusionRules());
        DaemonHarness.StopAndAssertKernelAsBefore(daemon, _before!);
    }

    [KernelFact]
    public async Task AServerDownFor30Seconds_WhileEventsHappen_GetsEveryLineOnce_InOrder()
    {
        _fleet.Server.Config = Config("vigil-outage-", "[]");
        var daemon = _fleet.Start();
        var markers = new List<string>();
        using var stop = new CancellationTokenSource();
        var execs = Task.Run(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                markers.Add(Exec($"vigil-outage-{i:D4}"));
                Thread.Sleep(250);
            }
        });

        _fleet.WaitFor(() => Cmdlines("procs").Count >= 4, 10, "no lines before the outage");
        await _fleet.Server.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(30));
        await _fleet.Server.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await execs;
        _fleet.WaitFor(() => Cmdlines("procs").Count >= markers.Count, 20, $"not every one of {markers.Count} markers arrived");

        Assert.Equal(markers, Cmdlines("procs"));
        Assert.True(markers.Count > 50, $"{markers.Count} markers");
        _fleet.Daemon.WaitForInfo("Sending logs to the TLS server works again", 1, TimeSpan.FromSeconds(5));
        Assert.Equal(1, _fleet.Daemon.InfoLines("Sending logs to the TLS server failed"));
        DaemonHarness.StopAndAssertKernelAsBefore(daemon, _before!);
    }

    [KernelFact]
    public void ASigkillWhileABatchIsUnanswered_LosesNothing_AndSendsOnlyThatBatchAgain_Counted()
    {
        _fleet.Server.Config = Config("vigil-kill-", "[]");
        var daemon = _fleet.Start();
        var markers = Enumerable.Range(0, 3).Select(i => Exec($"vigil-kill-{i}")).ToList();
        _fleet.WaitFor(() => Cmdlines("procs").Count == 3, 10, "the first markers did not arrive");

        _fleet.Server.HoldLogType = "result";
        markers.AddRange(Enumerable.Range(3, 3).Select(i => Exec($"vigil-kill-{i}")));
        _fleet.WaitFor(() => _fleet.Server.Held == 1, 10, "no result batch was held");
        var held = _fleet.Server.LogRequests.Last(r => r.Type == "result").Lines;
        daemon.Kill();
        daemon.WaitForExit();
        _fleet.Server.HoldLogType = null;

        var restarted = _fleet.Start();
        markers.AddRange(Enumerable.Range(6, 2).Select(i => Exec($"vigil-kill-{i}")));
        _fleet.WaitFor(() => Cmdlines("procs").Distinct().Count() == markers.Count, 15, "not every marker arrived after the restart");
        DaemonHarness.StopAndAssertKernelAsBefore(restarted, _before!);

        var lines = _fleet.Server.LogRequests.Where(r => r.Type == "result").SelectMany(r => r.Lines).ToList();
        var twice = lines.GroupBy(l => l).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Equal(held.Order(StringComparer.Ordinal), twice.Order(StringComparer.Ordinal));
        Assert.True(lines.GroupBy(l => l).All(g => g.Count() <= 2));
        Assert.Equal(markers, Cmdlines("procs").Distinct());
        Assert.Equal(1, _fleet.Daemon.InfoLines($"Sent again {held.Count} result lines whose request was unanswered at an unclean stop (the server may have them twice)"));
    }

    private static string Config(string marker, string exclude) =>
        $$$"""{"schedule": {"procs": {"query": "SELECT cmdline FROM process_events WHERE cmdline LIKE '%{{{marker}}}%'", "interval": 1}}, "audit": {"exclude": {{{exclude}}}}}""";

    private static string Exec(string marker)
    {
        using var process = Process.Start("/bin/true", marker)!;
        process.WaitForExit();
        return "/bin/true " + marker;
    }

    private List<string> Cmdlines(string query) =>
        [.. _fleet.Server.Results().Select(l => FleetHarness.Column(l, query, "cmdline")).OfType<string>()];

    private static List<string> ExclusionRules()
    {
        using var client = AuditClient.OpenUnicast();
        return
        [
            .. client.ListRuleData().Where(r => AuditState.IsVigilRule(r)).Select(r => AuditRule.Decode(r).ToAuditctlText())
                .Where(r => r.StartsWith("-a never", StringComparison.Ordinal) && !r.Contains(" -F pid=", StringComparison.Ordinal)),
        ];
    }
}
