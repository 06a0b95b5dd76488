using System.Text;

namespace Vigil.Cli.Shell;

/// <summary>
/// The state of one line being typed: text, cursor and place in history, changed one key at a time (emacs keys as
/// readline has them). It draws nothing; <see cref="TerminalLineReader"/> does.
/// </summary>
public sealed class LineEditor(LineHistory history)
{
    private readonly StringBuilder _text = new();
    private int _historyIndex;
    private string _draft = "";

    /// <summary>The line as typed so far.</summary>
    public string Text => _text.ToString();

    /// <summary>The cursor's position, from 0 (before the first character) to the text's length.</summary>
    public int Cursor { get; private set; }

    /// <summary>Starts a new, empty line positioned after the newest history entry.</summary>
    public void Reset()
    {
        _text.Clear();
        Cursor = 0;
        _historyIndex = history.Entries.Count;
        _draft = "";
    }

    /// <summary>Applies one key and tells whether the line goes on, is done, was cancelled or input ended.</summary>
    public LineEditResult Handle(ConsoleKeyInfo key)
    {
        if ((key.Modifiers & ConsoleModifiers.Control) != 0 && key.Key is >= ConsoleKey.A and <= ConsoleKey.Z)
        {
            return HandleControl(key.Key);
        }

        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return LineEditResult.Submitted;
            case ConsoleKey.Backspace:
                DeleteBackward();
                break;
            case ConsoleKey.Delete:
                DeleteForward();
                break;
            case ConsoleKey.LeftArrow:
                Cursor = Math.Max(0, Cursor - 1);
                break;
            case ConsoleKey.RightArrow:
                Cursor = Math.Min(_text.Length, Cursor + 1);
                break;
            case ConsoleKey.Home:
                Cursor = 0;
                break;
            case ConsoleKey.End:
                Cursor = _text.Length;
                break;
            case ConsoleKey.UpArrow:
                Recall(-1);
                break;
            case ConsoleKey.DownArrow:
                Recall(+1);
                break;
            default:
                // Control characters arrive here when the terminal reports them without the Control modifier.
                return key.KeyChar switch
                {
                    '\r' or '\n' => LineEditResult.Submitted,
                    '\x03' => HandleControl(ConsoleKey.C),
                    '\x04' => HandleControl(ConsoleKey.D),
                    '\x7f' or '\b' => HandleBackspace(),
                    >= ' ' => Insert(key.KeyChar),
                    _ => LineEditResult.Editing,
                };
        }

        return LineEditResult.Editing;
    }

    private LineEditResult HandleControl(ConsoleKey key)
    {
        switch (key)
        {
            case ConsoleKey.A:
                Cursor = 0;
                break;
            case ConsoleKey.E:
                Cursor = _text.Length;
                break;
            case ConsoleKey.B:
                Cursor = Math.Max(0, Cursor - 1);
                break;
            case ConsoleKey.F:
                Cursor = Math.Min(_text.Length, Cursor + 1);
                break;
            case ConsoleKey.H:
                DeleteBackward();
                break;
            case ConsoleKey.U:
                _text.Remove(0, Cursor);
                Cursor = 0;
                break;
            case ConsoleKey.K:
                _text.Remove(Cursor, _text.Length - Cursor);
                break;
            case ConsoleKey.W:
                DeleteWordBackward();
                break;
            case ConsoleKey.P:
                Recall(-1);
                break;
            case ConsoleKey.N:
                Recall(+1);
                break;
            case ConsoleKey.C:
                _text.Clear();
                Cursor = 0;
                return LineEditResult.Cancelled;
            case ConsoleKey.D:
                if (_text.Length == 0)
                {
                    return LineEditResult.EndOfInput;
                }

                DeleteForward();
                break;
            case ConsoleKey.J or ConsoleKey.M:
                return LineEditResult.Submitted;
        }

        return LineEditResult.Editing;
    }

    private LineEditResult HandleBackspace()
    {
        DeleteBackward();
        return LineEditResult.Editing;
    }

    private LineEditResult Insert(char ch)
    {
        _text.Insert(Cursor, ch);
        Cursor++;
        return LineEditResult.Editing;
    }

    private void DeleteBackward()
    {
        if (Cursor > 0)
        {
            _text.Remove(--Cursor, 1);
        }
    }

    private void DeleteForward()
    {
        if (Cursor < _text.Length)
        {
            _text.Remove(Cursor, 1);
        }
    }

    // As readline's unix-word-rubout: the spaces before the cursor, then the word before them.
    private void DeleteWordBackward()
    {
        var start = Cursor;
        while (start > 0 && _text[start - 1] == ' ')
        {
            start--;
        }

        while (start > 0 && _text[start - 1] != ' ')
        {
            start--;
        }

        _text.Remove(start, Cursor - start);
        Cursor = start;
    }

    // Moving off the line being typed keeps it as a draft, so coming back down restores it.
    private void Recall(int direction)
    {
        var target = _historyIndex + direction;
        if (target < 0 || target > history.Entries.Count)
        {
            return;
        }

        if (_historyIndex == history.Entries.Count)
        {
            _draft = _text.ToString();
        }

        _historyIndex = target;
        _text.Clear().Append(target == history.Entries.Count ? _draft : history.Entries[target]);
        Cursor = _text.Length;
    }
}
