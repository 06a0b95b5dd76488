using Vigil.Records;
using Xunit;

namespace Vigil.Tests.Records;

public class AuditValueTests
{
    [Theory]
    [InlineData("\"/tmp/records-fx\"", "/tmp/records-fx")]
    [InlineData("'op=x y'", "op=x y")]
    [InlineData("(null)", "")]
    [InlineData("68656C6C6F20776F726C64", "hello world")]
    [InlineData("7361792022686922", "say \"hi\"")]
    [InlineData("6E61C3AF7665", "naïve")]
    [InlineData("6e61c3af7665", "naïve")]
    [InlineData("6E61FF", "na\uFFFD")]
    [InlineData("ABC", "ABC")]
    [InlineData("(none)", "(none)")]
    [InlineData("pts/0", "pts/0")]
    [InlineData("", "")]
    [InlineData("\"", "\"")]
    public void DecodeText(string raw, string expected)
    {
        Assert.Equal(expected, AuditValue.DecodeText(System.Text.Encoding.UTF8.GetBytes(raw)));
    }

    [Theory]
    [InlineData("2F62696E2F6563686F0061000062", "/bin/echo a  b")]
    [InlineData("2F7573722F62696E2F707974686F6E3300776F726B6C6F61642E70790000", "/usr/bin/python3 workload.py")]
    [InlineData("\"sshd: root\"", "sshd: root")]
    [InlineData("6E61C3AF766500", "naïve")]
    [InlineData("", "")]
    public void DecodeProcessTitle_TurnsTheNulsBetweenArgumentsIntoSpaces(string raw, string expected)
    {
        Assert.Equal(expected, AuditValue.DecodeProcessTitle(System.Text.Encoding.UTF8.GetBytes(raw)));
    }

    [Fact]
    public void DecodeTextOfALongHexValue()
    {
        var raw = string.Concat(Enumerable.Repeat("78", 3000));

        Assert.Equal(new string('x', 3000), AuditValue.DecodeText(System.Text.Encoding.ASCII.GetBytes(raw)));
    }

    [Fact]
    public void TryDecodeHexWritesBytes()
    {
        Span<byte> destination = stackalloc byte[4];

        Assert.True(AuditValue.TryDecodeHex("2F62FF00"u8, destination, out var written));

        Assert.Equal(4, written);
        Assert.Equal(new byte[] { 0x2F, 0x62, 0xFF, 0x00 }, destination.ToArray());
    }

    [Theory]
    [InlineData("ABC")]
    [InlineData("0G")]
    [InlineData("2F62FF0000")]
    public void TryDecodeHexRejectsOddNonHexOrTooLong(string hex)
    {
        Span<byte> destination = stackalloc byte[2];

        Assert.False(AuditValue.TryDecodeHex(System.Text.Encoding.ASCII.GetBytes(hex), destination, out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void DecodingAllocatesOnlyTheString()
    {
        var hex = "2F62696E2F6563686F"u8.ToArray();
        var destination = new byte[16];
        AuditValue.TryDecodeHex(hex, destination, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            AuditValue.TryDecodeHex(hex, destination, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
