using Xunit;
using Vigil.Flags;

namespace Vigil.Tests.Flags;

public class NameSuggestionTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("json", "json", 0)]
    [InlineData("jsn", "json", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void EditDistance_IsLevenshtein(string a, string b, int expected)
    {
        Assert.Equal(expected, NameSuggestion.EditDistance(a, b));
        Assert.Equal(expected, NameSuggestion.EditDistance(b, a));
    }

    [Fact]
    public void Closest_PicksTheNearest_OrNothing()
    {
        string[] names = ["shell", "status", "daemon"];
        Assert.Equal("shell", NameSuggestion.Closest("shel", names));
        Assert.Equal("status", NameSuggestion.Closest("stats", names));
        Assert.Null(NameSuggestion.Closest("query", names));
    }
}
