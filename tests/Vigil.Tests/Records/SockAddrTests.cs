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

        Assert.True(SockAddr.TryParse(saddr, bigEndian: false, out var parsed));

        Assert.Equal(new SockAddr(family, port, address, path), parsed);
    }

    [Fact]
    public void UnixPathStopsAtNulBeforeGarbage()
    {
        var hex = "01002F6465762F6C6F6700004714EEB8007F0000"u8;

        Assert.True(SockAddr.TryParse(hex, bigEndian: false, out var parsed));

        Assert.Equal(new SockAddr(SockAddr.AfUnix, 0, "", "/dev/log"), parsed);
    }

    [Theory]
    [InlineData("0100", "")]
    [InlineData("010000610062000000", "@a@b")]
    public void UnnamedAndAbstractUnix(string hex, string path)
    {
        Assert.True(SockAddr.TryParse(System.Text.Encoding.ASCII.GetBytes(hex), bigEndian: false, out var parsed));

        Assert.Equal(path, parsed.Path);
    }

    [Fact]
    public void NetlinkGivesFamilyOnly()
    {
        Assert.True(SockAddr.TryParse("100000000000000000000000"u8, bigEndian: false, out var parsed));

        Assert.Equal(new SockAddr(SockAddr.AfNetlink, 0, "", ""), parsed);
    }

    /// <summary>ppc64 and s390x write sa_family big-endian; the port and address are network order everywhere.</summary>
    [Theory]
    [InlineData("000200505DB8D8220000000000000000", SockAddr.AfInet, 80, "93.184.216.34", "")]
    [InlineData("000A01BB0000000020010DB800000000000000000000000100000000", SockAddr.AfInet6, 443, "2001:db8::1", "")]
    [InlineData("00012F72756E2F782E736F636B00", SockAddr.AfUnix, 0, "", "/run/x.sock")]
    public void BigEndianFamily(string hex, int family, int port, string address, string path)
    {
        Assert.True(SockAddr.TryParse(System.Text.Encoding.ASCII.GetBytes(hex), bigEndian: true, out var parsed));

        Assert.Equal(new SockAddr(family, port, address, path), parsed);
    }

    [Fact]
    public void BigEndianFamilyReadLittleEndianIsNoInternetAddress()
    {
        Assert.True(SockAddr.TryParse("000200505DB8D8220000000000000000"u8, bigEndian: false, out var parsed));

        Assert.Equal(new SockAddr(0x0200, 0, "", ""), parsed);
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
        Assert.False(SockAddr.TryParse(System.Text.Encoding.ASCII.GetBytes(hex), bigEndian: false, out _));
    }
}
