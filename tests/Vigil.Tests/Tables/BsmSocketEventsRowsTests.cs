using System.Net;
using Vigil.Tables;
using Vigil.Tests.Bsm;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Tables;

/// <summary>socket_events from BSM trails: connect, bind and accept, with the Linux rows' filters and status.</summary>
public sealed class BsmSocketEventsRowsTests
{
    private static readonly string[] Columns =
    [
        "action", "pid", "path", "fd", "auid", "family", "protocol", "local_address", "remote_address", "local_port",
        "remote_port", "socket", "time", "uptime", "eid", "success", "status",
    ];

    private static List<string> Rows(SocketEventsOptions options, Action<BsmTrailWriter> write)
    {
        var trail = new BsmTrailWriter()
            .Record(23, 10, tokens => tokens.ExecArgs("nc").Path("/usr/bin/nc").Subject32(501, 501, 20, 501, 20, 300).Return32(0, 0));
        write(trail);
        using var directory = new TempDirectory();
        var path = directory.File("trail.bsm");
        File.WriteAllBytes(path, trail.ToArray());
        return [.. TableFixture.RowsOfFile(new SocketEventsTable(options, ProcessContext.ForLogFiles(), new FixedUptime(TableFixture.Uptime)), path).Select(row => row.Values(Columns))];
    }

    private static void Call(BsmTrailWriter trail, int eventType, long time, Action<BsmTokens> address, byte error = 0, uint pid = 300) =>
        trail.Record(eventType, time, tokens =>
        {
            tokens.Arg32(1, 5, "fd");
            address(tokens);
            tokens.Subject32(501, 501, 20, 501, 20, pid).Return32(error, error == 0 ? 0 : -1);
        });

    [Fact]
    public void Connect_bind_and_accept_name_the_ends_as_on_linux()
    {
        var rows = Rows(new SocketEventsOptions(), trail =>
        {
            Call(trail, 32, 11, tokens => tokens.SockInet(IPAddress.Parse("93.184.216.34"), 443));
            Call(trail, 34, 12, tokens => tokens.SockInet(IPAddress.Parse("::1"), 8080));
            Call(trail, 33, 13, tokens => tokens.SockInet(IPAddress.Parse("192.168.1.9"), 50123), pid: 301);
            Call(trail, 43207, 14, tokens => tokens.SocketEx(IPAddress.Parse("10.0.0.1"), 53, IPAddress.Parse("0.0.0.0"), 0));
        });

        Assert.Equal(
            [
                "connect|300|/usr/bin/nc|5|501|2|0|NULL|93.184.216.34|0|443|NULL|11|4242||1|succeeded",
                "bind|300|/usr/bin/nc|5|501|10|0|::1|NULL|8080|0|NULL|12|4242||1|succeeded",
                "accept|301||5|501|2|0|NULL|192.168.1.9|0|50123|NULL|13|4242||1|succeeded",
                "bind|300|/usr/bin/nc|5|501|2|0|10.0.0.1|NULL|53|0|NULL|14|4242||1|succeeded",
            ],
            rows);
    }

    [Fact]
    public void Failed_calls_and_unix_sockets_follow_the_allow_flags()
    {
        void Write(BsmTrailWriter trail)
        {
            Call(trail, 32, 11, tokens => tokens.SockInet(IPAddress.Parse("10.1.1.1"), 22), error: 150);
            Call(trail, 32, 12, tokens => tokens.SockInet(IPAddress.Parse("10.1.1.1"), 23), error: 146);
            Call(trail, 32, 13, tokens => tokens.SockUnix("/var/run/syslog"));
        }

        Assert.Equal(["connect|300|/usr/bin/nc|5|501|2|0|NULL|10.1.1.1|0|22|NULL|11|4242||1|in_progress"], Rows(new SocketEventsOptions(), Write));
        Assert.Equal(
            [
                "connect|300|/usr/bin/nc|5|501|2|0|NULL|10.1.1.1|0|22|NULL|11|4242||1|in_progress",
                "connect|300|/usr/bin/nc|5|501|2|0|NULL|10.1.1.1|0|23|NULL|12|4242||0|failed",
                "connect|300|/usr/bin/nc|5|501|1|0|NULL|NULL|0|0|/var/run/syslog|13|4242||1|succeeded",
            ],
            Rows(new SocketEventsOptions { AllowFailed = true, AllowUnix = true }, Write));
    }
}
