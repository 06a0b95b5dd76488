using Vigil.Cli;
using Vigil.Cli.Shell;
using Vigil.Flags;

var commands = new ICommand[]
{
    new ShellCommand(CreateQueryEngine),
};
return new VigilCli(commands).Run(args, CliConsole.FromProcess());

// The shell's SQL engine: replace this line with the real engine once the tables are registered.
static IQueryEngine CreateQueryEngine(FlagValues flags) => new SqliteQueryEngine();
