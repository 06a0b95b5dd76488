using Vigil.Records;
using Xunit;
using static Vigil.Tests.Records.RecordFixtures;

namespace Vigil.Tests.Records;

public class SockAddrTests
{
    /// <summary>The SOCKADDR records of the raw fixture, serials 29–35, decoded as a table would.</summary>
    [Theory]
    [InlineData(29u, SockAddr.AfInet, 9, "127.0.0.1", "")]
    [InlineData(30u, SockAddr.AfInet6, 9, "::1", "")]
    [InlineData(31u, SockAddr.AfInet6, 9, "::ffff:127.0.0.1", "")]
    [InlineData(32u, SockAddr.AfInet6, 9, "fe80::1", "")]
    [InlineData(33u, SockAddr.AfUnix, 0, "", "/tmp/vigil-fixture.sock")]
    [InlineData(34u, SockAddr.AfUnix, 0, "", "@vigil-abstract")]
    [InlineData(35u, SockAddr.AfInet, 40123, "0.0.0.0", "")]
    public void RecordedAddresses(uint serial, int family, int port, string address, string path)
    {
        Assert.True(RecordParser.TryParseLogLine(Line("raw.log", "SOCKADDR", serial), out var record));
        Assert.True(AuditFields.TryGet(record.Body, "saddr"u8, out var saddr));

        Assert.True(SockAddr.TryParse(saddr, out var parsed));

        Assert.Equal(new SockAddr(family, port, address, path), parsed);
    }

    [Fact]
    public void UnixPathStopsAtNulBeforeGarbage()
    {
        var hex = "01002F6465762F6C6F6700004714EEB8007F0000"u8;

        Assert.True(SockAddr.TryParse(hex, out var parsed));

        Assert.Equal(new SockAddr(SockAddr.AfUnix, 0, "", "/dev/log"), parsed);
    }

    [Theory]
    [InlineData("0100", "")]
    [InlineData("010000610062000000", "@a@b")]
    public void UnnamedAndAbstractUnix(string hex, string path)
    {
        Assert.True(SockAddr.TryParse(System.Text.Encoding.ASCII.GetBytes(hex), out var parsed));

        Assert.Equal(path, parsed.Path);
    }

    [Fact]
    public void NetlinkGivesFamilyOnly()
    {
        Assert.True(SockAddr.TryParse("100000000000000000000000"u8, out var parsed));

        Assert.Equal(new SockAddr(SockAddr.AfNetlink, 0, "", ""), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("02")]
    [InlineData("020")]
    [InlineData("0200000Z7F000001")]
    [InlineData("020000097F0000")]
    [InlineData("0A000009000000000000000000000000000000")]
    public void Rejected(string hex)
    {
        Assert.False(SockAddr.TryParse(System.Text.Encoding.ASCII.GetBytes(hex), out _));
    }
}
