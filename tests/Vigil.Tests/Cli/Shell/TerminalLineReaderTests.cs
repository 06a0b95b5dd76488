using Vigil.Cli.Shell;
using Xunit;
using static Vigil.Tests.Cli.Shell.LineEditorTests;

namespace Vigil.Tests.Cli.Shell;

public class TerminalLineReaderTests
{
    private static Func<ConsoleKeyInfo> Script(params IEnumerable<ConsoleKeyInfo>[] keys)
    {
        var queue = new Queue<ConsoleKeyInfo>(keys.SelectMany(static k => k));
        return queue.Dequeue;
    }

    [Fact]
    public void ReadLine_RedrawsAfterEachKey_AndAddsToHistory()
    {
        var terminal = new StringWriter();
        var history = new LineHistory();
        var reader = new TerminalLineReader(Script(Type("ab"), [Key(ConsoleKey.LeftArrow), Key(ConsoleKey.Enter)]), terminal, history);
        Assert.Equal((LineEditResult.Submitted, "ab"), reader.ReadLine("vigil> "));
        Assert.Equal(
            "\rvigil> \x1b[K" +
            "\rvigil> a\x1b[K" +
            "\rvigil> ab\x1b[K" +
            "\rvigil> ab\x1b[K\x1b[1D" +
            "\n",
            terminal.ToString());
        Assert.Equal(["ab"], history.Entries);
    }

    [Fact]
    public void ReadLine_ControlC_And_ControlD()
    {
        var terminal = new StringWriter();
        var history = new LineHistory();
        var reader = new TerminalLineReader(Script(Type("x"), [Ctrl('c'), Ctrl('d')]), terminal, history);
        Assert.Equal((LineEditResult.Cancelled, ""), reader.ReadLine("> "));
        Assert.Equal((LineEditResult.EndOfInput, ""), reader.ReadLine("> "));
        Assert.Equal("\r> \x1b[K\r> x\x1b[K^C\n\r> \x1b[K\n", terminal.ToString());
        Assert.Empty(history.Entries);
    }
}
