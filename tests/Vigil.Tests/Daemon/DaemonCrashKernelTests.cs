using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Pipeline;
using Vigil.Rules;
using Vigil.Sql;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary><c>vigil daemon</c> killed with SIGKILL in the middle of a burst of execs, then started again.</summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class DaemonCrashKernelTests
{
    private const string Config = """{"schedule": {"procs": {"query": "SELECT cmdline FROM process_events", "interval": 2}}}""";

    [KernelFact]
    public void SigkillDuringBurst_EveryStoredMarkerLoggedOnce_LeftoverRulesReplaced_StateRestored()
    {
        var before = DaemonHarness.CaptureState();
        var harness = new DaemonHarness(Config);
        var prefix = $"/bin/true vigil-burst-{Guid.NewGuid():N}-";
        Process? burst = null;
        try
        {
            var first = harness.Start();
            int vigilRules;
            using (var client = AuditClient.OpenUnicast())
            {
                vigilRules = client.ListRuleData().Count(r => AuditState.IsVigilRule(r));
            }

            // 300 marked execs over a few seconds; the daemon dies right after it first logs one of them, so the kill
            // lands in a tick that is writing results, with the burst still running.
            burst = Process.Start("/bin/sh", ["-c", $"for i in $(seq 1 300); do {prefix}$i; sleep 0.01; done"])!;
            harness.WaitForResults(l => DaemonHarness.Column(l, "procs", "cmdline")?.StartsWith(prefix, StringComparison.Ordinal) == true, 1, TimeSpan.FromSeconds(10));
            first.Kill();
            first.WaitForExit();
            Assert.True(burst.WaitForExit(TimeSpan.FromSeconds(60)), "the burst did not finish");

            var second = harness.Start();
            Assert.Equal(1, harness.InfoLines($"removed {vigilRules} leftover Vigil audit rules"));
            using (var client = AuditClient.OpenUnicast())
            {
                var rules = client.ListRuleData();
                Assert.Equal(vigilRules, rules.Count(r => AuditState.IsVigilRule(r)));
                for (var i = 0; i < rules.Count; i++)
                {
                    for (var j = i + 1; j < rules.Count; j++)
                    {
                        Assert.False(AuditRule.SameEncoding(rules[i], rules[j]), $"rule {i} and rule {j} are the same: {AuditRule.Decode(rules[i]).ToAuditctlText()}");
                    }
                }
            }

            // Two intervals of 2 seconds, splayed by at most 10%, and a second of slack.
            Thread.Sleep(TimeSpan.FromSeconds(5.5));
            DaemonHarness.Stop(second);

            var stored = StoredMarkers(harness.DatabasePath, prefix);
            Assert.NotEmpty(stored);
            var logged = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var line in harness.ReadResults())
            {
                if (DaemonHarness.Column(line, "procs", "cmdline") is { } cmdline && cmdline.StartsWith(prefix, StringComparison.Ordinal))
                {
                    logged[cmdline] = logged.GetValueOrDefault(cmdline) + 1;
                }
            }

            Assert.DoesNotContain(logged, l => l.Value > 1);
            Assert.DoesNotContain(stored, m => !logged.ContainsKey(m));
            Assert.Equal(stored.Count, logged.Count);
            Assert.Equal("ok", IntegrityCheck(harness.DatabasePath));

            var after = DaemonHarness.CaptureState();
            Assert.True(before.Matches(after.Status, after.Rules), "the kernel audit state after the final stop differs from the one before the first start");
            Assert.False(File.Exists(harness.DatabasePath + ".audit-state"));
        }
        finally
        {
            if (burst is { HasExited: false })
            {
                burst.Kill();
            }

            burst?.Dispose();
            harness.Dispose();
            DaemonHarness.RestoreKernel(before);
        }
    }

    private static HashSet<string> StoredMarkers(string database, string prefix)
    {
        using var engine = new SqlEngine(database, IngestOptions.EventTableSpecs, [new ProcessesTable()]);
        var markers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in engine.Execute($"SELECT DISTINCT cmdline FROM process_events WHERE cmdline LIKE '{prefix}%'")[^1].Rows)
        {
            markers.Add(row[0]!);
        }

        return markers;
    }

    private static string IntegrityCheck(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
