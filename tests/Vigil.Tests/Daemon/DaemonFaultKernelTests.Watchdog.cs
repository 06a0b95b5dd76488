using Vigil.Tests.Cli;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Daemon;

public sealed partial class DaemonFaultKernelTests
{
    private const string RunawayConfig = """
        {"schedule": {
          "procs": {"query": "SELECT cmdline FROM process_events", "interval": 1},
          "grow": {"query": "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT length(group_concat(printf('%.10c', 'x'))) FROM r", "interval": 5},
          "spin": {"query": "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r", "interval": 5},
          "denylisted": {"query": "SELECT name FROM osquery_schedule WHERE denylisted = 1 ORDER BY name", "interval": 1}}}
        """;

    // Two runaway queries, one growing memory past --watchdog_memory_limit and one that never ends, each interrupted on
    // the watchdog's thread and denylisted, while bursts of marked execs run during them: every event is stored and
    // logged once, none shed, and the kernel lost nothing.
    [KernelFact]
    public void RunawayQueries_AreInterruptedAndDenylisted_WhileABurstDuringThemIsStoredInFull()
    {
        Run(RunawayConfig, run =>
        {
            var daemon = run.Start("--watchdog_delay=0", "--watchdog_memory_limit=250", "--watchdog_latency_limit=20", "--log_names=true");

            void Lines(int count, string text) => Assert.True(run.Harness.InfoLines(text) == count, $"expected {count} lines with '{text}':\n{File.ReadAllText(run.Harness.InfoLog)}");

            run.Harness.WaitForInfo("Executing scheduled query grow", 1, TimeSpan.FromSeconds(15));
            run.Burst("during-grow", 150);
            Lines(0, "Error executing scheduled query grow");
            run.Harness.WaitForInfo("Executing scheduled query spin", 1, TimeSpan.FromSeconds(30));
            run.Burst("during-spin", 150);
            Lines(0, "Error executing scheduled query spin");
            run.Harness.WaitForInfo("Scheduled query spin is denylisted until ", 1, TimeSpan.FromSeconds(40));

            Lines(1, "Error executing scheduled query grow: interrupted by the watchdog: memory ");
            Lines(1, "is above --watchdog_memory_limit 250 MB");
            Lines(1, "Error executing scheduled query spin: interrupted by the watchdog: it ran longer than --watchdog_latency_limit 20 s");
            Lines(1, "Scheduled query grow is denylisted until ");
            Lines(1, "Scheduled query spin is denylisted until ");
            run.Harness.WaitForResults(l => DaemonHarness.Column(l, "denylisted", "name") is "grow" or "spin", 2, TimeSpan.FromSeconds(10));

            // Past both queries' next turn: denylisted, they do not run again.
            Thread.Sleep(TimeSpan.FromSeconds(6));
            Lines(1, "Executing scheduled query grow");
            Lines(1, "Executing scheduled query spin");

            run.WaitLogged(300);
            Assert.Equal(new StopCounts(300, 0, 0, 0, 0), run.Stop(daemon, 300));
            Lines(0, "events read from the kernel and not yet stored");

            var (code, output, _) = VigilProcess.Run("", "status", $"--database_path={run.Harness.DatabasePath}");
            Assert.Equal(0, code);
            var denylist = output[output.IndexOf("denylisted queries (", StringComparison.Ordinal)..].Split('\n');
            Assert.Equal($"denylisted queries ({run.Harness.DatabasePath}): 2", denylist[0]);
            Assert.Matches(@"^  grow until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: interrupted by the watchdog: memory \d+ MB is above --watchdog_memory_limit 250 MB$", denylist[1]);
            Assert.Matches(@"^  spin until .* UTC: interrupted by the watchdog: it ran longer than --watchdog_latency_limit 20 s$", denylist[2]);
        });
    }
}
