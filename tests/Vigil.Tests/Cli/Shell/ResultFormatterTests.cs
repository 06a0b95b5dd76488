using Vigil.Sql;
using Vigil.Cli.Shell;
using Xunit;

namespace Vigil.Tests.Cli.Shell;

public class ResultFormatterTests
{
    // A separator, quotes, a newline, non-ASCII text, NULL and the empty string.
    private static readonly QueryResult Known = new(
        ["name", "note"],
        [
            ["a|b", "say \"hi\""],
            ["line1\nline2", "héllo ✓"],
            [null, ""],
        ]);

    private static readonly QueryResult Empty = new(["name", "note"], []);

    private static string Format(QueryResult result, OutputMode mode)
    {
        var output = new StringWriter();
        ResultFormatter.Write(output, result, mode);
        return output.ToString();
    }

    [Fact]
    public void Pretty_BoxesColumnsWidenedToTheLongestValueInCodePoints() => Assert.Equal(
        "+-------------+----------+\n" +
        "| name        | note     |\n" +
        "+-------------+----------+\n" +
        "| a|b         | say \"hi\" |\n" +
        "| line1\nline2 | héllo ✓  |\n" +
        "|             |          |\n" +
        "+-------------+----------+\n",
        Format(Known, OutputMode.Pretty));

    [Fact]
    public void Pretty_HeaderWiderThanValues() => Assert.Equal(
        "+-------+\n" +
        "| total |\n" +
        "+-------+\n" +
        "| 7     |\n" +
        "+-------+\n",
        Format(new QueryResult(["total"], [["7"]]), OutputMode.Pretty));

    [Fact]
    public void Json_OneCompactObjectPerLine_ValuesAsStrings_NullAsEmpty() => Assert.Equal(
        "[\n" +
        "  {\"name\":\"a|b\",\"note\":\"say \\\"hi\\\"\"},\n" +
        "  {\"name\":\"line1\\nline2\",\"note\":\"héllo ✓\"},\n" +
        "  {\"name\":\"\",\"note\":\"\"}\n" +
        "]\n",
        Format(Known, OutputMode.Json));

    [Fact]
    public void Json_EscapesControlCharactersAndBackslash() => Assert.Equal(
        "[\n  {\"v\":\"\\\\ \\t\\r\\b\\f\\u0001\\u001F /\"}\n]\n",
        Format(new QueryResult(["v"], [["\\ \t\r\b\f\u0001\u001f /"]]), OutputMode.Json));

    [Fact]
    public void Json_KeepsColumnOrder() =>
        Assert.Equal("[\n  {\"z\":\"1\",\"a\":\"2\"}\n]\n", Format(new QueryResult(["z", "a"], [["1", "2"]]), OutputMode.Json));

    [Fact]
    public void Csv_PipeSeparated_QuotesLikeOsqueryi() => Assert.Equal(
        "name|note\n" +
        "\"a|b\"|\"say \"\"hi\"\"\"\n" +
        "\"line1\nline2\"|\"héllo ✓\"\n" +
        "|\"\"\n",
        Format(Known, OutputMode.Csv));

    [Fact]
    public void Line_RightAlignsNames_BlankLineBetweenRows() => Assert.Equal(
        " name = a|b\n" +
        " note = say \"hi\"\n" +
        "\n" +
        " name = line1\nline2\n" +
        " note = héllo ✓\n" +
        "\n" +
        " name = \n" +
        " note = \n",
        Format(Known, OutputMode.Line));

    [Fact]
    public void Line_WidthIsTheLongestName() => Assert.Equal(
        "         a = 1\n" +
        "longcolumn = b\n",
        Format(new QueryResult(["a", "longcolumn"], [["1", "b"]]), OutputMode.Line));

    [Theory]
    [InlineData(OutputMode.Pretty, "")]
    [InlineData(OutputMode.Json, "[\n\n]\n")]
    [InlineData(OutputMode.Csv, "")]
    [InlineData(OutputMode.Line, "")]
    public void EmptyResult(OutputMode mode, string expected) => Assert.Equal(expected, Format(Empty, mode));

    [Theory]
    [InlineData(OutputMode.Pretty)]
    [InlineData(OutputMode.Json)]
    [InlineData(OutputMode.Csv)]
    [InlineData(OutputMode.Line)]
    public void NoColumns_PrintsNothing(OutputMode mode) => Assert.Equal("", Format(new QueryResult([], []), mode));

    [Theory]
    [InlineData(OutputMode.Pretty)]
    [InlineData(OutputMode.Json)]
    [InlineData(OutputMode.Csv)]
    [InlineData(OutputMode.Line)]
    public void AUtf8StreamWriter_GetsTheSameBytesWrittenStraightToItsStream(OutputMode mode)
    {
        var stream = new MemoryStream();
        var output = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        output.Write("before\n");
        ResultFormatter.Write(output, Known, mode);
        output.Write("after\n");
        output.Flush();

        Assert.Equal("before\n" + Format(Known, mode) + "after\n", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Json_ManyRows_CrossTheBufferWithoutSplittingACharacter()
    {
        var rows = Enumerable.Range(0, 5000).Select(i => new string?[] { i.ToString(System.Globalization.CultureInfo.InvariantCulture), "✓ héllo " + new string('x', i % 50) }).ToList();
        var result = new QueryResult(["n", "note"], rows);
        var expected = "[\n" + string.Join(",\n", rows.Select(r => $"  {{\"n\":\"{r[0]}\",\"note\":\"{r[1]}\"}}")) + "\n]\n";

        Assert.Equal(expected, Format(result, OutputMode.Json));
    }

    // Compared as bytes: the stream gets what the writer wrote, not a decoding of it.
    [Theory]
    [InlineData("SELECT -9223372036854775808 AS min, 9223372036854775807 AS max, 0 AS zero, 1.5 AS real, '42' AS text, NULL AS none", OutputMode.Json, "[\n  {\"min\":\"-9223372036854775808\",\"max\":\"9223372036854775807\",\"zero\":\"0\",\"real\":\"1.5\",\"text\":\"42\",\"none\":\"\"}\n]\n")]
    [InlineData("SELECT -9223372036854775808 AS min, 9223372036854775807 AS max, 0 AS zero, 1.5 AS real, '42' AS text, NULL AS none", OutputMode.Csv, "min|max|zero|real|text|none\n-9223372036854775808|9223372036854775807|0|1.5|42|\n")]
    [InlineData("SELECT CAST(x'ff61c3' AS TEXT) AS t", OutputMode.Json, "[\n  {\"t\":\"\uFFFDa\uFFFD\"}\n]\n")]
    [InlineData("SELECT CAST(x'ff61c3' AS TEXT) AS t", OutputMode.Csv, "t\n\"\uFFFDa\uFFFD\"\n")]
    public void ValuesFromSqlite_AreWrittenAsSqlitePrintsThem_InvalidUtf8ReplacedAsDecodingWould(string sql, OutputMode mode, string expected)
    {
        using var engine = new SqlEngine(null, [], []);
        var stream = new MemoryStream();
        var output = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        engine.Execute(sql, new ResultWriter(output, mode));
        output.Flush();

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(expected), stream.ToArray());
    }
}
