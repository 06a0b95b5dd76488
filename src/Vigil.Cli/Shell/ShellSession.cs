using System.Globalization;
using System.Text;

namespace Vigil.Cli.Shell;

/// <summary>
/// Runs shell input against an engine: SQL statements as soon as their <c>;</c> arrives, meta-commands (a line
/// starting with <c>.</c>) at the end of their line. Results go to one writer, errors to another, flushed after each.
/// </summary>
/// <remarks>
/// As in sqlite3 and osqueryi, an error prints <c>Error: …</c> (with <c>near line N:</c> when the input is not
/// typed) and the session goes on; <see cref="ExitCode"/> is then 1. SQL still pending at the end of the input is
/// run as if it ended with <c>;</c>, as sqlite3 does.
/// </remarks>
public sealed class ShellSession
{
    private const string HelpText =
        ".exit [CODE]     Exit the shell (also .quit, or Ctrl-D on an empty line)\n" +
        ".help            Show this message\n" +
        ".mode MODE       Set the output mode: pretty (default), json, csv or line\n" +
        ".schema [TABLE]  Show the CREATE TABLE statements\n" +
        ".tables          List the tables\n";

    private readonly IQueryEngine _engine;
    private readonly TextWriter _output;
    private readonly TextWriter _errors;
    private readonly bool _interactive;
    private readonly StringBuilder _pending = new();
    private int _lineNumber;
    private int _pendingStartLine;
    private int _errorCount;

    /// <summary>A session over <paramref name="engine"/>; <paramref name="interactive"/> leaves line numbers out of error messages.</summary>
    public ShellSession(IQueryEngine engine, TextWriter output, TextWriter errors, OutputMode mode, bool interactive)
    {
        _engine = engine;
        _output = output;
        _errors = errors;
        Mode = mode;
        _interactive = interactive;
    }

    /// <summary>The current output mode, changed by <c>.mode</c>.</summary>
    public OutputMode Mode { get; private set; }

    /// <summary>Whether a statement has started and waits for its <c>;</c> (the shell then shows the continuation prompt).</summary>
    public bool HasPendingStatement => _pending.Length > 0;

    /// <summary>Set once <c>.exit</c> or <c>.quit</c> ran; the caller stops feeding lines.</summary>
    public bool ExitRequested { get; private set; }

    /// <summary>The code given to <c>.exit</c>; otherwise 1 after any error when not interactive, else 0.</summary>
    public int ExitCode { get; private set; }

    /// <summary>Feeds one line of input (without its newline), running what it completes.</summary>
    public void AcceptLine(string line)
    {
        _lineNumber++;
        if (_pending.Length == 0)
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith('.'))
            {
                RunMetaCommand(trimmed);
                Flush();
                return;
            }

            if (StatementSplitter.IsBlank(line))
            {
                return;
            }

            _pendingStartLine = _lineNumber;
        }
        else
        {
            _pending.Append('\n');
        }

        _pending.Append(line);
        RunCompleteStatements();
    }

    /// <summary>Ends the input: SQL still pending runs as a last statement.</summary>
    public void Finish()
    {
        if (_pending.Length > 0 && !StatementSplitter.IsBlank(_pending.ToString()))
        {
            RunStatement(_pending.ToString(), _pendingStartLine);
        }

        _pending.Clear();
        Flush();
    }

    /// <summary>Drops a statement that was started but not finished (Ctrl-C at the continuation prompt).</summary>
    public void DiscardPending() => _pending.Clear();

    /// <summary>Runs a whole text given at once (the shell's positional argument): a meta-command or statements, stopping at the first error.</summary>
    public void RunText(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('.'))
        {
            RunMetaCommand(trimmed);
            Flush();
            return;
        }

        var rest = text.AsSpan();
        while (!StatementSplitter.IsBlank(rest) && _errorCount == 0)
        {
            var end = StatementSplitter.FindEnd(rest);
            var statement = end < 0 ? rest : rest[..end];
            if (!StatementSplitter.IsBlank(statement))
            {
                RunStatement(statement.ToString(), 0);
            }

            rest = end < 0 ? [] : rest[end..];
        }

        Flush();
    }

    private void RunCompleteStatements()
    {
        while (true)
        {
            var text = _pending.ToString();
            var end = StatementSplitter.FindEnd(text);
            if (end < 0)
            {
                return;
            }

            var statement = text[..end];
            var rest = text[end..];
            if (!StatementSplitter.IsBlank(statement))
            {
                RunStatement(statement, _pendingStartLine);
            }

            _pending.Clear();
            if (!StatementSplitter.IsBlank(rest))
            {
                // The rest of a line that completed a statement starts the next one on the same line.
                _pending.Append(rest);
                _pendingStartLine = _lineNumber;
            }

            Flush();
        }
    }

    private void RunStatement(string sql, int startLine)
    {
        var writer = new ResultWriter(_output, Mode);
        try
        {
            _engine.Execute(sql, writer);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // As sqlite3 does, the rows a statement produced before it failed are printed, then the error.
            writer.Flush();
            ReportError(startLine, e.Message);
        }
    }

    private void RunMetaCommand(string line)
    {
        var words = line[1..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var command = words.Length > 0 ? words[0] : "";
        var argument = words.Length > 1 ? words[1] : null;
        try
        {
            switch (command)
            {
                case "exit" or "quit" when words.Length <= 2:
                    ExitRequested = true;
                    if (argument is not null)
                    {
                        ExitCode = int.TryParse(argument, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code)
                            ? code
                            : throw new ShellCommandException($"not an exit code: {argument}");
                    }

                    break;
                case "help" when words.Length == 1:
                    _output.Write(HelpText);
                    break;
                case "mode" when words.Length == 2:
                    Mode = argument switch
                    {
                        "pretty" => OutputMode.Pretty,
                        "json" => OutputMode.Json,
                        "csv" => OutputMode.Csv,
                        "line" => OutputMode.Line,
                        _ => throw new ShellCommandException("mode should be one of: pretty json csv line"),
                    };
                    break;
                case "schema" when words.Length <= 2:
                    var schema = _engine.Schema(argument);
                    _output.Write(schema);
                    if (schema.Length > 0 && !schema.EndsWith('\n'))
                    {
                        _output.Write('\n');
                    }

                    break;
                case "tables" when words.Length == 1:
                    foreach (var table in _engine.TableNames())
                    {
                        _output.Write("  => ");
                        _output.Write(table);
                        _output.Write('\n');
                    }

                    break;
                default:
                    throw new ShellCommandException($"unknown command or invalid arguments: \".{command}\". Enter \".help\" for help");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ReportError(_lineNumber, e.Message);
        }
    }

    private void ReportError(int line, string message)
    {
        _errorCount++;
        if (!_interactive && ExitCode == 0)
        {
            ExitCode = 1;
        }

        _output.Flush();
        _errors.Write(_interactive || line == 0 ? "Error: " : $"Error: near line {line}: ");
        _errors.Write(message.ReplaceLineEndings(" "));
        _errors.Write('\n');
        _errors.Flush();
    }

    private void Flush() => _output.Flush();
}
