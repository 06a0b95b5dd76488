using Vigil.Cli.Shell;
using Xunit;

namespace Vigil.Tests.Cli.Shell;

public class StatementSplitterTests
{
    [Theory]
    [InlineData("select 1;", 9)]
    [InlineData("select 1; select 2;", 9)]
    [InlineData("select 1", -1)]
    [InlineData("select ';';", 11)]
    [InlineData("select 'it''s;';", 16)]
    [InlineData("select \"a;b\" from t;", 20)]
    [InlineData("select `a;b`;", 13)]
    [InlineData("select [a;b];", 13)]
    [InlineData("select 1 -- no; end\n;", 21)]
    [InlineData("select 1 /* ; */;", 17)]
    [InlineData("select 'open;", -1)]
    [InlineData("select 1 /* open;", -1)]
    [InlineData("select 1 -- open;", -1)]
    [InlineData("select\n  1\n;", 12)]
    public void FindEnd(string text, int expected) => Assert.Equal(expected, StatementSplitter.FindEnd(text));

    [Theory]
    [InlineData("", true)]
    [InlineData("  \n\t", true)]
    [InlineData("-- comment", true)]
    [InlineData("/* c */ ; -- x\n", true)]
    [InlineData("/* open", true)]
    [InlineData("-- c\nselect 1", false)]
    [InlineData("x", false)]
    public void IsBlank(string text, bool expected) => Assert.Equal(expected, StatementSplitter.IsBlank(text));
}
