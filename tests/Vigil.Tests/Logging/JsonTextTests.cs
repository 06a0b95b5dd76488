using System.Buffers;
using System.Text;
using Vigil.Logging;
using Xunit;

namespace Vigil.Tests.Logging;

public sealed class JsonTextTests
{
    [Fact]
    public void EveryAsciiByte_IsEscapedAsRapidjsonsWriterEscapesIt_AndNonAsciiIsWrittenAsItIs()
    {
        var text = new byte[0x80];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = (byte)i;
        }

        var json = new ArrayBufferWriter<byte>();
        JsonText.String(json, [.. text, .. "\u00e9\u2603\U0001F600"u8]);

        // rapidjson/writer.h's escape table: b t n f r by name, the other controls as \u00XX in upper case; then
        // only the quote and the backslash. '/' and DEL are not escaped.
        const string Controls =
            "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000B\\f\\r\\u000E\\u000F"
            + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001A\\u001B\\u001C\\u001D\\u001E\\u001F";
        const string Printable =
            " !\\\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u007f";
        Assert.Equal("\"" + Controls + Printable + "\u00e9\u2603\U0001F600\"", Encoding.UTF8.GetString(json.WrittenSpan));
    }

    [Fact]
    public void AString_IsWrittenAsItsUtf8_ALoneSurrogateAsTheReplacementCharacter_AtAnyLength()
    {
        var json = new ArrayBufferWriter<byte>();
        JsonText.String(json, "a\"\u00e9\ud800\n");
        Assert.Equal("\"a\\\"\u00e9\ufffd\\n\""u8, json.WrittenSpan);

        var longText = new string('\u2603', 5000) + "\t";
        json.ResetWrittenCount();
        JsonText.String(json, longText);
        Assert.Equal(Encoding.UTF8.GetBytes("\"" + new string('\u2603', 5000) + "\\t\""), json.WrittenSpan.ToArray());
    }

    [Fact]
    public void Numbers_AreWrittenInFull()
    {
        var json = new ArrayBufferWriter<byte>();
        JsonText.Number(json, long.MinValue);
        json.Write(","u8);
        JsonText.Number(json, ulong.MaxValue);
        Assert.Equal("-9223372036854775808,18446744073709551615"u8, json.WrittenSpan);
    }

    [Theory]
    [InlineData(0L, "\"pid\":\"0\"")]
    [InlineData(4294967295L, "\"pid\":\"4294967295\"")]
    [InlineData(long.MinValue, "\"pid\":\"-9223372036854775808\"")]
    public void AQuotedNumber_FollowsItsPrefixAsAString(long value, string expected)
    {
        var output = new ArrayBufferWriter<byte>(1);
        JsonText.QuotedNumber(output, "\"pid\":"u8, value);

        Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
