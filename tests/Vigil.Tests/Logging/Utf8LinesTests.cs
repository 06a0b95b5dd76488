using System.Text;
using Vigil.Logging;
using Xunit;

namespace Vigil.Tests.Logging;

public sealed class Utf8LinesTests
{
    [Fact]
    public void Lines_AreHeldAsUtf8WithNewlines_AndComeBackAsTheSameStrings()
    {
        var lines = new Utf8Lines();
        lines.Add("{\"a\":\"\u00e9\"}");
        lines.AddRange(["", "{\"b\":\"\u2603 \\n\"}"]);

        Assert.Equal(3, lines.Count);
        Assert.Equal("{\"a\":\"\u00e9\"}\n\n{\"b\":\"\u2603 \\n\"}\n", Encoding.UTF8.GetString(lines.Bytes));
        Assert.Equal(["{\"a\":\"\u00e9\"}", "", "{\"b\":\"\u2603 \\n\"}"], lines.ToStrings());
    }

    [Fact]
    public void AddRange_OfEncodedLines_Appends_AndClear_ForgetsEverything()
    {
        var first = new Utf8Lines();
        first.Add("one");
        var second = new Utf8Lines();
        second.AddRange(["two", new string('x', 2 * 1024 * 1024)]);

        first.AddRange(second);
        Assert.Equal(3, first.Count);
        Assert.Equal(["one", "two", new string('x', 2 * 1024 * 1024)], first.ToStrings());

        first.Clear();
        Assert.Equal(0, first.Count);
        Assert.Equal(0, first.Bytes.Length);
        first.Add("again");
        Assert.Equal(["again"], first.ToStrings());
    }
}
