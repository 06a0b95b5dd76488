using Vigil.Flags;

namespace Vigil.Cli.Shell;

/// <summary>
/// <c>vigil shell [FLAGS] [SQL]</c>: runs the SQL argument, or statements read from a pipe, or an interactive
/// session with a line editor and history in ~/.vigil_history.
/// </summary>
/// <remarks>
/// Exit codes: with an argument, 1 when it fails; from a pipe, 1 when any statement failed (each error is printed
/// and the rest still runs, as sqlite3 and osqueryi do without .bail); interactive, 0 unless <c>.exit CODE</c>.
/// </remarks>
public sealed class ShellCommand(Func<FlagValues, IQueryEngine> createEngine) : ICommand
{
    /// <summary>The main prompt.</summary>
    public const string Prompt = "vigil> ";

    /// <summary>The prompt while a statement waits for its <c>;</c>.</summary>
    public const string ContinuationPrompt = "   ...> ";

    /// <inheritdoc/>
    public string Name => "shell";

    /// <inheritdoc/>
    public string Summary => "Run SQL over Vigil's tables, like osqueryi";

    /// <inheritdoc/>
    public string Usage =>
        "Usage: vigil shell [FLAGS] [SQL]\n\n" +
        "Runs SQL given as the argument, read from standard input, or typed at the vigil> prompt.\n" +
        "Output modes: pretty (default), --json, --csv, --line; type .help in the shell for its commands.";

    /// <inheritdoc/>
    public int Run(FlagValues flags, IReadOnlyList<string> arguments, CliConsole console)
    {
        if (arguments.Count > 1)
        {
            throw new CliException("shell takes at most one SQL argument; quote the SQL");
        }

        var mode = ModeFrom(flags);
        AuditPrivilege.EnsureKernelAccess(flags);
        var engine = createEngine(flags);
        try
        {
            var interactive = arguments.Count == 0 && console.InputIsTerminal;
            var session = new ShellSession(engine, console.Out, console.Error, mode, interactive);
            if (arguments.Count == 1)
            {
                session.RunText(arguments[0]);
            }
            else if (interactive)
            {
                RunInteractive(session, console);
            }
            else
            {
                RunPiped(session, console.In);
            }

            return session.ExitCode;
        }
        finally
        {
            (engine as IDisposable)?.Dispose();
        }
    }

    private static OutputMode ModeFrom(FlagValues flags)
    {
        var json = flags.Get(VigilFlags.Json);
        var csv = flags.Get(VigilFlags.Csv);
        var line = flags.Get(VigilFlags.Line);
        if ((json ? 1 : 0) + (csv ? 1 : 0) + (line ? 1 : 0) > 1)
        {
            throw new CliException("choose one output mode of --json, --csv and --line");
        }

        return json ? OutputMode.Json : csv ? OutputMode.Csv : line ? OutputMode.Line : OutputMode.Pretty;
    }

    private static void RunPiped(ShellSession session, TextReader input)
    {
        while (!session.ExitRequested && input.ReadLine() is { } line)
        {
            session.AcceptLine(line);
        }

        if (!session.ExitRequested)
        {
            session.Finish();
        }
    }

    private static void RunInteractive(ShellSession session, CliConsole console)
    {
        var historyPath = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".vigil_history");
        var history = new LineHistory();
        history.Load(historyPath);
        var reader = new TerminalLineReader(console.ReadKey, console.Out, history);
        console.Out.Write("Vigil shell over a virtual database. Enter \".help\" for help.\n");
        var treatControlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            while (!session.ExitRequested)
            {
                var (result, text) = reader.ReadLine(session.HasPendingStatement ? ContinuationPrompt : Prompt);
                if (result == LineEditResult.EndOfInput)
                {
                    session.Finish();
                    break;
                }

                if (result == LineEditResult.Cancelled)
                {
                    session.DiscardPending();
                    continue;
                }

                session.AcceptLine(text);
            }
        }
        finally
        {
            Console.TreatControlCAsInput = treatControlC;
            history.Save(historyPath);
        }
    }
}
