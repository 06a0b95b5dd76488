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
        Assert.Equal("{\"a\":\"\u00e9\"}\n\n{\"b\":\"\u2603 \\n\"}\n", Encoding.UTF8.GetString(lines.ToArray()));
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
        Assert.Equal(0, first.Length);
        Assert.Empty(first.Chunks);
        first.Add("again");
        Assert.Equal(["again"], first.ToStrings());
    }

    [Fact]
    public void ALargeRun_IsHeldInChunksOfWholeLines_AndALineLongerThanAChunkGetsOneOfItsOwn()
    {
        var expected = new List<string>();
        for (var i = 0; i < 5000; i++)
        {
            expected.Add($"{{\"n\":{i},\"v\":\"{new string((char)('a' + (i % 26)), i % 97)}\u00e9\"}}");
        }

        expected.Insert(2500, new string('x', 200 * 1024));
        var lines = new Utf8Lines();
        lines.AddRange(expected);

        Assert.Equal(5001, lines.Count);
        Assert.Equal(expected, lines.ToStrings());
        Assert.Equal(Encoding.UTF8.GetBytes(string.Concat(expected.Select(l => l + "\n"))), lines.ToArray());
        Assert.Equal(lines.ToArray().Length, lines.Length);
        Assert.True(lines.Chunks.Count > 5, $"{lines.Chunks.Count} chunks");
        Assert.All(lines.Chunks, chunk => Assert.True(chunk.Length <= 64 * 1024 || chunk.Length == 200 * 1024 + 1, $"a chunk of {chunk.Length} bytes"));
        Assert.All(lines.Chunks, chunk => Assert.Equal((byte)'\n', chunk.Span[^1]));
        Assert.Contains(lines.Chunks, chunk => chunk.Length == 200 * 1024 + 1);
    }

    [Fact]
    public void SharedLines_AreNotChangedByWhatEitherSideDoesAfterwards()
    {
        var logger = new Utf8Lines();
        logger.AddRange(["one", "two"]);
        var journal = new Utf8Lines();
        journal.Add("zero");
        journal.AddRange(logger);

        logger.Add("three");
        journal.Add("four");
        Assert.Equal(["zero", "one", "two", "four"], journal.ToStrings());
        Assert.Equal(["one", "two", "three"], logger.ToStrings());

        logger.Clear();
        logger.Add("other");
        Assert.Equal(["zero", "one", "two", "four"], journal.ToStrings());
        Assert.Equal(4, journal.Count);
        Assert.Equal(18, journal.Length);
    }
}
