using Vigil.Cli.Shell;
using Xunit;

namespace Vigil.Tests.Cli.Shell;

public class LineHistoryTests
{
    [Fact]
    public void Add_SkipsBlankAndRepeated_AndKeepsTheNewest()
    {
        var history = new LineHistory(capacity: 3);
        foreach (var line in new[] { "a", "a", " ", "b", "c", "d", "a" })
        {
            history.Add(line);
        }

        Assert.Equal(["c", "d", "a"], history.Entries);
    }

    [Fact]
    public void SaveAndLoad_RoundTrip()
    {
        var path = Path.GetTempFileName();
        try
        {
            var history = new LineHistory();
            history.Add("select 1;");
            history.Add(".tables");
            history.Save(path);
            Assert.Equal("select 1;\n.tables\n", File.ReadAllText(path));
            var loaded = new LineHistory();
            loaded.Load(path);
            Assert.Equal(["select 1;", ".tables"], loaded.Entries);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_IsEmpty()
    {
        var history = new LineHistory();
        history.Load("/nonexistent/dir/.vigil_history");
        Assert.Empty(history.Entries);
    }
}
