using System.Globalization;
using System.Net;
using Vigil.Tests.Bsm;

namespace Vigil.Benchmarks;

/// <summary>
/// <c>write-bsm-trail PATH MB</c>: writes a BSM trail of at least MB megabytes with the tests' writer, for the trail
/// throughput figure in bench/RESULTS.md. Each process of the trail is a fork, a posix_spawn or execve with eight
/// arguments, six environment variables, path, attributes, expanded subject and return, a connect (IPv4 or IPv6)
/// and an exit: four records, a quarter of them exec rows and a quarter socket rows, as a busy Mac's trail with
/// the ex, pc and nt classes and argv, arge holds.
/// </summary>
internal static class BsmTrailGenerator
{
    public static int Run(string path, long megabytes)
    {
        var target = megabytes * 1024 * 1024;
        using var output = File.Create(path);
        output.Write(new BsmTrailWriter().File(1_765_000_000, path).ToArray());
        long records = 0;
        for (uint pid = 1000; output.Length < target; pid++)
        {
            var time = 1_765_000_000 + (pid / 100);
            var child = pid + 1;
            var tool = Tools[pid % Tools.Length];
            var trail = new BsmTrailWriter()
                .Record(2, time, tokens => tokens.Arg32(0, child, "child PID").Subject32(501, 501, 20, 501, 20, pid).Return32(0, (int)child))
                .Record(pid % 2 == 0 ? 43190 : 23, time, tokens => tokens
                    .ExecArgs(tool, "--flag", "-v", "--output", $"/tmp/out-{pid}", "--retries=3", "input.txt", "extra")
                    .ExecEnv("HOME=/Users/ann", "PATH=/usr/bin:/bin:/usr/sbin:/sbin", "LANG=en_US.UTF-8", "SHELL=/bin/zsh", "USER=ann", $"TERM_SESSION_ID={pid}")
                    .Path(tool)
                    .Attr32(0x81ed, 0, 0)
                    .SubjectEx(501, 501, 20, 501, 20, child, IPAddress.Loopback)
                    .Return32(0, 0), milliseconds: (int)(pid % 1000))
                .Record(32, time, tokens => tokens
                    .Arg32(1, 5, "fd")
                    .SockInet(pid % 4 == 0 ? IPAddress.Parse("2001:db8::1") : IPAddress.Parse("93.184.216.34"), 443)
                    .SubjectEx(501, 501, 20, 501, 20, child, IPAddress.Loopback)
                    .Return32(0, 0))
                .Record(1, time, tokens => tokens.Exit(0, 0).SubjectEx(501, 501, 20, 501, 20, child, IPAddress.Loopback).Return32(0, 0));
            output.Write(trail.ToArray());
            records += 4;
        }

        output.Write(new BsmTrailWriter().File(1_765_000_000, path).ToArray());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: {output.Length} bytes, {records} records"));
        return 0;
    }

    private static readonly string[] Tools = ["/usr/bin/curl", "/bin/ls", "/usr/bin/git", "/usr/bin/python3", "/bin/zsh", "/usr/bin/ssh"];
}
