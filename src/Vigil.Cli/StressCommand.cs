using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net;
using Vigil.Flags;
using Vigil.Pipeline;
using Vigil.Platform;
using Vigil.Sql;

namespace Vigil.Cli;

/// <summary>
/// <c>vigil stress</c>: launches shells whose command lines carry a unique marker, each followed by a UDP datagram to a
/// port this command binds on 127.0.0.1, and, given a store, counts how many of the launches it recorded.
/// </summary>
public sealed class StressCommand(bool showProgress) : ICommand
{
    private const string ShellPath = "/bin/sh";
    private const string ShellScript = "echo hi > /dev/null";
    private static readonly TimeSpan DatagramGrace = TimeSpan.FromSeconds(2);

    /// <inheritdoc/>
    public string Name => "stress";

    /// <inheritdoc/>
    public string Summary => "Launch marked processes and datagrams, and count how many a store recorded";

    /// <inheritdoc/>
    public string Usage =>
        "Usage: vigil stress -n N (or --stress_intensity=N) [--database_path=PATH]\n"
        + "       vigil stress --stress_rate=N [--stress_duration=S] [--database_path=PATH]\n\n"
        + "Launches N shells at once (or N per second for S seconds), each '/bin/sh -c \"" + ShellScript + "\" MARKER'\n"
        + "with MARKER = vigil-stress-RUNID-I, and sends one UDP datagram per shell to a port bound on 127.0.0.1.\n"
        + "Prints processes launched, datagrams received, elapsed time and the achieved rate. With --database_path it\n"
        + "opens that Vigil store read-only and counts the markers found in process_events.cmdline.";

    /// <inheritdoc/>
    public int Run(FlagValues flags, IReadOnlyList<string> arguments, CliConsole console)
    {
        if (arguments.Count > 0)
        {
            throw new CliException($"stress takes no arguments (got '{arguments[0]}')");
        }

        var plan = Plan(flags);
        var databasePath = flags.IsSet(VigilFlags.DatabasePath) ? flags.Get(VigilFlags.DatabasePath) : null;
        if (databasePath is not null && !File.Exists(databasePath))
        {
            throw new CliException($"Vigil database not found: {databasePath}");
        }

        var runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
        var result = Launch(plan, runId, console.Error);
        var output = console.Out;
        output.Write(string.Create(CultureInfo.InvariantCulture,
            $"run: {runId}\nlaunched: {result.Launched}\nfailed: {result.Failed}\ndatagrams sent: {result.Sent}\n"
            + $"datagrams received: {result.Received}\nelapsed: {result.Elapsed.TotalSeconds:F3} s\n"
            + $"rate: {Rate(result.Launched, result.Elapsed):F1} exec/s\n"));
        if (databasePath is not null)
        {
            var seen = CountRecordedMarkers(databasePath, runId);
            var share = result.Launched == 0 ? 0 : 100.0 * seen / result.Launched;
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"recorded: {seen} of {result.Launched} ({share:F1}%)\nmissing: {result.Launched - seen}\n"));
        }

        output.Flush();
        return 0;
    }

    /// <summary>The marker of launch <paramref name="index"/> of run <paramref name="runId"/>.</summary>
    public static string Marker(string runId, int index) => string.Create(CultureInfo.InvariantCulture, $"vigil-stress-{runId}-{index}");

    /// <summary>How many distinct markers of <paramref name="runId"/> appear in the store's process_events.cmdline.</summary>
    public static int CountRecordedMarkers(string databasePath, string runId)
    {
        var prefix = Marker(runId, 0)[..^1];
        using var engine = new SqlEngine(databasePath, IngestOptions.EventTableSpecs, []);
        var rows = engine.Execute($"SELECT cmdline FROM process_events WHERE cmdline LIKE '%{prefix}%'")[0].Rows;
        var markers = new HashSet<int>();
        foreach (var row in rows)
        {
            var cmdline = row[0] ?? string.Empty;
            for (var at = cmdline.IndexOf(prefix, StringComparison.Ordinal); at >= 0; at = cmdline.IndexOf(prefix, at + 1, StringComparison.Ordinal))
            {
                var digits = cmdline.AsSpan(at + prefix.Length);
                var length = 0;
                while (length < digits.Length && char.IsAsciiDigit(digits[length]))
                {
                    length++;
                }

                if (length > 0 && int.TryParse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    markers.Add(index);
                }
            }
        }

        return markers.Count;
    }

    private static (int Count, long Rate) Plan(FlagValues flags)
    {
        var intensity = flags.Get(VigilFlags.StressIntensity);
        var rate = flags.Get(VigilFlags.StressRate);
        var duration = flags.Get(VigilFlags.StressDuration);
        if (intensity > 0 && rate > 0)
        {
            throw new CliException("give either --stress_intensity or --stress_rate, not both");
        }

        if (intensity < 0 || rate < 0 || duration <= 0)
        {
            throw new CliException("--stress_intensity, --stress_rate and --stress_duration must be positive");
        }

        if (intensity == 0 && rate == 0)
        {
            throw new CliException("stress needs --stress_intensity=N or --stress_rate=N; try 'vigil stress --help'");
        }

        var count = intensity > 0 ? intensity : rate * duration;
        if (count > int.MaxValue)
        {
            throw new CliException($"stress would launch {count} processes; that is too many");
        }

        return ((int)count, rate);
    }

    private (int Launched, int Failed, int Sent, int Received, TimeSpan Elapsed) Launch((int Count, long Rate) plan, string runId, TextWriter progress)
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = (IPEndPoint)receiver.LocalEndPoint!;
        var received = 0;
        var launching = true;
        var receiving = Task.Run(() =>
        {
            var buffer = new byte[64];
            receiver.ReceiveTimeout = (int)DatagramGrace.TotalMilliseconds;
            while (Volatile.Read(ref received) < plan.Count)
            {
                try
                {
                    receiver.Receive(buffer);
                    Interlocked.Increment(ref received);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
                {
                    // A slow rate leaves gaps longer than the grace; only after the last launch is silence a loss.
                    if (!Volatile.Read(ref launching))
                    {
                        return;
                    }
                }
            }
        });

        var running = new Queue<int>();
        var launched = 0;
        var failed = 0;
        var sent = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < plan.Count; i++)
        {
            if (plan.Rate > 0)
            {
                var due = TimeSpan.FromSeconds((double)i / plan.Rate);
                if (due > clock.Elapsed)
                {
                    Thread.Sleep(due - clock.Elapsed);
                }
            }

            var pid = PosixSpawn.Start(ShellPath, ["-c", ShellScript, Marker(runId, i)]);
            if (pid > 0)
            {
                running.Enqueue(pid);
                launched++;
            }
            else
            {
                failed++;
            }

            sent += SendDatagram(target, i) ? 1 : 0;
            Reap(running, wait: false);
            if (showProgress && (i % 64 == 0 || i == plan.Count - 1))
            {
                progress.Write(string.Create(CultureInfo.InvariantCulture, $"\rlaunched {launched}/{plan.Count}"));
            }
        }

        Reap(running, wait: true);
        var elapsed = clock.Elapsed;
        Volatile.Write(ref launching, false);
        receiving.Wait();
        if (showProgress)
        {
            progress.Write('\n');
        }

        return (launched, failed, sent, Volatile.Read(ref received), elapsed);
    }

    /// <summary>A fresh socket per datagram, so each one is a connect() the audit rules can see.</summary>
    private static bool SendDatagram(IPEndPoint target, int index)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(target);
            return socket.Send(BitConverter.GetBytes(index)) > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // Oldest first: a child that exits before an older one waits as a zombie until its turn.
    private static void Reap(Queue<int> running, bool wait)
    {
        while (running.TryPeek(out var oldest) && PosixSpawn.TryReap(oldest, wait, out _))
        {
            running.Dequeue();
        }
    }

    private static double Rate(int launched, TimeSpan elapsed) =>
        elapsed > TimeSpan.Zero ? launched / elapsed.TotalSeconds : 0;
}
