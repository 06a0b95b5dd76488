using Vigil.Cli.Shell;
using Xunit;

namespace Vigil.Tests.Cli.Shell;

public class LineEditorTests
{
    internal static ConsoleKeyInfo Char(char c) => new(c, ConsoleKey.NoName, false, false, false);

    internal static ConsoleKeyInfo Key(ConsoleKey key) => new('\0', key, false, false, false);

    internal static ConsoleKeyInfo Ctrl(char letter) =>
        new((char)(letter - 'a' + 1), ConsoleKey.A + (letter - 'a'), false, false, true);

    internal static IEnumerable<ConsoleKeyInfo> Type(string text) => text.Select(Char);

    private static LineEditor Editor(params string[] history)
    {
        var entries = new LineHistory();
        foreach (var line in history)
        {
            entries.Add(line);
        }

        var editor = new LineEditor(entries);
        editor.Reset();
        return editor;
    }

    private static LineEditResult Press(LineEditor editor, params IEnumerable<ConsoleKeyInfo>[] keys)
    {
        var last = LineEditResult.Editing;
        foreach (var key in keys.SelectMany(static k => k))
        {
            last = editor.Handle(key);
        }

        return last;
    }

    [Fact]
    public void Typing_InsertsAtTheCursor()
    {
        var editor = Editor();
        Press(editor, Type("slect"), [Key(ConsoleKey.Home), Key(ConsoleKey.RightArrow)], Type("e"));
        Assert.Equal("select", editor.Text);
        Assert.Equal(2, editor.Cursor);
        Press(editor, [Key(ConsoleKey.End), Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow)], Type("é"));
        Assert.Equal("seleéct", editor.Text);
        Assert.Equal(5, editor.Cursor);
    }

    [Fact]
    public void Cursor_StaysWithinTheLine()
    {
        var editor = Editor();
        Press(editor, Type("ab"), [Key(ConsoleKey.RightArrow), Ctrl('f')]);
        Assert.Equal(2, editor.Cursor);
        Press(editor, [Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow), Ctrl('b')]);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void BackspaceAndDelete()
    {
        var editor = Editor();
        Press(editor, Type("abcd"), [Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow), Key(ConsoleKey.Backspace), Key(ConsoleKey.Delete)]);
        Assert.Equal("ad", editor.Text);
        Assert.Equal(1, editor.Cursor);
        Press(editor, [Key(ConsoleKey.Home), Key(ConsoleKey.Backspace), Key(ConsoleKey.End), Key(ConsoleKey.Delete)]);
        Assert.Equal("ad", editor.Text);
        Press(editor, [Char('\x7f')]);
        Assert.Equal("a", editor.Text);
    }

    [Fact]
    public void ControlA_E_U_K()
    {
        var editor = Editor();
        Press(editor, Type("select 1 from t"), [Ctrl('a')]);
        Assert.Equal(0, editor.Cursor);
        Press(editor, [Ctrl('e')]);
        Assert.Equal(15, editor.Cursor);
        Press(editor, Enumerable.Repeat(Key(ConsoleKey.LeftArrow), 7), [Ctrl('k')]);
        Assert.Equal("select 1", editor.Text);
        Press(editor, [Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow), Ctrl('u')]);
        Assert.Equal(" 1", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void ControlW_DeletesTheWordBeforeTheCursor()
    {
        var editor = Editor();
        Press(editor, Type("select a,  b  "), [Ctrl('w')]);
        Assert.Equal("select a,  ", editor.Text);
        Press(editor, [Ctrl('w')]);
        Assert.Equal("select ", editor.Text);
        Press(editor, [Ctrl('w'), Ctrl('w')]);
        Assert.Equal("", editor.Text);
    }

    [Fact]
    public void Enter_Submits()
    {
        var editor = Editor();
        Assert.Equal(LineEditResult.Submitted, Press(editor, Type("select 1;"), [Key(ConsoleKey.Enter)]));
        Assert.Equal("select 1;", editor.Text);
    }

    [Fact]
    public void ControlC_ClearsAndCancels()
    {
        var editor = Editor();
        Assert.Equal(LineEditResult.Cancelled, Press(editor, Type("select"), [Ctrl('c')]));
        Assert.Equal("", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void ControlD_EndsInputOnlyOnAnEmptyLine()
    {
        var editor = Editor();
        Assert.Equal(LineEditResult.Editing, Press(editor, Type("ab"), [Key(ConsoleKey.Home), Ctrl('d')]));
        Assert.Equal("b", editor.Text);
        Assert.Equal(LineEditResult.EndOfInput, Press(editor, [Ctrl('d'), Ctrl('d')]));
    }

    [Fact]
    public void History_UpDown_RestoresTheDraft()
    {
        var editor = Editor("select 1;", "select 2;");
        Press(editor, Type("sel"), [Key(ConsoleKey.UpArrow)]);
        Assert.Equal("select 2;", editor.Text);
        Assert.Equal(9, editor.Cursor);
        Press(editor, [Ctrl('p')]);
        Assert.Equal("select 1;", editor.Text);
        Press(editor, [Key(ConsoleKey.UpArrow)]);
        Assert.Equal("select 1;", editor.Text);
        Press(editor, [Key(ConsoleKey.DownArrow)]);
        Assert.Equal("select 2;", editor.Text);
        Press(editor, [Ctrl('n')]);
        Assert.Equal("sel", editor.Text);
        Press(editor, [Key(ConsoleKey.DownArrow)]);
        Assert.Equal("sel", editor.Text);
    }

    [Fact]
    public void Reset_StartsAfterTheNewestEntry()
    {
        var history = new LineHistory();
        var editor = new LineEditor(history);
        editor.Reset();
        Press(editor, Type("one"));
        history.Add(editor.Text);
        editor.Reset();
        Assert.Equal("", editor.Text);
        Press(editor, [Key(ConsoleKey.UpArrow)]);
        Assert.Equal("one", editor.Text);
    }
}
