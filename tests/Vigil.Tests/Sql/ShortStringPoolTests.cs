using System.Text;
using Vigil.Sql;
using Xunit;

namespace Vigil.Tests.Sql;

public sealed class ShortStringPoolTests
{
    [Fact]
    public void EqualShortValues_AreOneString_LongOnesAreNotKept()
    {
        var pool = new ShortStringPool();
        var execve = pool.Get("execve"u8);
        var longValue = new string('x', ShortStringPool.MaxBytes + 1);

        Assert.Same(execve, pool.Get("execve"u8));
        Assert.Equal("execve", execve);
        Assert.Same(pool.Get("é"u8), pool.Get("é"u8));
        Assert.NotSame(pool.Get(Encoding.UTF8.GetBytes(longValue)), pool.Get(Encoding.UTF8.GetBytes(longValue)));
        Assert.Equal(longValue, pool.Get(Encoding.UTF8.GetBytes(longValue)));
        Assert.Equal(2, pool.Count);
    }

    [Theory]
    [InlineData(new byte[] { 0x68, 0xC3, 0xA9 })]
    [InlineData(new byte[] { 0x6E, 0x61, 0xFF })]
    [InlineData(new byte[] { 0xE2, 0x9C })]
    public void Values_AreDecodedAsEncodingUtf8DecodesThem(byte[] utf8)
    {
        Assert.Equal(Encoding.UTF8.GetString(utf8), new ShortStringPool().Get(utf8));
    }

    [Fact]
    public void PastItsCapacity_NewValuesAreStillReturnedButNotKept()
    {
        var pool = new ShortStringPool();
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), pool.Get(Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        Assert.Equal(8192, pool.Count);
        Assert.NotSame(pool.Get("9999"u8), pool.Get("9999"u8));
        Assert.Same(pool.Get("42"u8), pool.Get("42"u8));
    }
}
