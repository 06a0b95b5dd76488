using Vigil.Platform;
using Xunit;

namespace Vigil.Tests.Kernel;

/// <summary>
/// Runs <c>/bin/true MARKER</c> (silent) on a thread of its own, one exec every <c>interval</c>, each with a marker of its own,
/// until disposed: the events a restart or an upgrade must neither lose nor store twice.
/// </summary>
internal sealed class ExecProducer : IDisposable
{
    private readonly string _prefix = $"vigil-exec-{Guid.NewGuid():N}-";
    private readonly TimeSpan _interval;
    private readonly Thread _thread;
    private readonly List<string> _markers = [];
    private volatile bool _stop;
    private Exception? _failure;

    public ExecProducer(TimeSpan interval)
    {
        _interval = interval;
        _thread = new Thread(Produce) { IsBackground = true, Name = "exec-producer" };
        _thread.Start();
    }

    /// <summary>What every marker starts with, to find them in a LIKE pattern.</summary>
    public string Prefix => _prefix;

    /// <summary>The execs done so far, as the cmdline each one has in process_events.</summary>
    public List<string> Cmdlines
    {
        get
        {
            lock (_markers)
            {
                return [.. _markers.Select(m => $"/bin/true {m}")];
            }
        }
    }

    /// <summary>Stops producing and returns the cmdlines of every exec done.</summary>
    public List<string> Stop()
    {
        _stop = true;
        _thread.Join();
        Assert.Null(_failure);
        return Cmdlines;
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    private void Produce()
    {
        try
        {
            for (var i = 0; !_stop; i++)
            {
                var marker = _prefix + i;
                var pid = PosixSpawn.Start("/bin/true", [marker]);
                Assert.True(pid > 0, $"posix_spawn /bin/true failed: errno {-pid}");
                Assert.True(PosixSpawn.TryReap(pid, wait: true, out var status) && PosixSpawn.ExitCode(status) == 0, "/bin/true failed");
                lock (_markers)
                {
                    _markers.Add(marker);
                }

                Thread.Sleep(_interval);
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }
}
