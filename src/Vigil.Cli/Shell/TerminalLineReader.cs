using System.Text;

namespace Vigil.Cli.Shell;

/// <summary>Reads lines key by key with a <see cref="LineEditor"/>, redrawing the prompt and line after every key.</summary>
public sealed class TerminalLineReader
{
    private readonly Func<ConsoleKeyInfo> _readKey;
    private readonly TextWriter _terminal;
    private readonly LineHistory _history;
    private readonly LineEditor _editor;

    /// <summary>A reader taking keys from <paramref name="readKey"/> and drawing on <paramref name="terminal"/>.</summary>
    public TerminalLineReader(Func<ConsoleKeyInfo> readKey, TextWriter terminal, LineHistory history)
    {
        _readKey = readKey;
        _terminal = terminal;
        _history = history;
        _editor = new LineEditor(history);
    }

    /// <summary>Shows <paramref name="prompt"/> and edits a line until Enter, Ctrl-C or Ctrl-D on an empty line.</summary>
    /// <returns>How the line ended and its text; a submitted line that is not blank is added to history.</returns>
    public (LineEditResult Result, string Text) ReadLine(string prompt)
    {
        _editor.Reset();
        Redraw(prompt);
        while (true)
        {
            var result = _editor.Handle(_readKey());
            switch (result)
            {
                case LineEditResult.Editing:
                    Redraw(prompt);
                    continue;
                case LineEditResult.Submitted:
                    _terminal.Write('\n');
                    _history.Add(_editor.Text);
                    break;
                case LineEditResult.Cancelled:
                    _terminal.Write("^C\n");
                    break;
                case LineEditResult.EndOfInput:
                    _terminal.Write('\n');
                    break;
            }

            _terminal.Flush();
            return (result, _editor.Text);
        }
    }

    // Carriage return, prompt and text, erase to the end of the screen line, then step back to the cursor.
    private void Redraw(string prompt)
    {
        var line = new StringBuilder("\r").Append(prompt).Append(_editor.Text).Append("\x1b[K");
        var after = _editor.Text.Length - _editor.Cursor;
        if (after > 0)
        {
            line.Append("\x1b[").Append(after).Append('D');
        }

        _terminal.Write(line);
        _terminal.Flush();
    }
}
