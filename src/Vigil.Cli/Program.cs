using Vigil.Cli;
using Vigil.Cli.Shell;
using Vigil.Sql;

var console = CliConsole.FromProcess();
var commands = new ICommand[]
{
    new ShellCommand(flags =>
    {
        SqlEngine.LeaveOutConnectionLocks();
        return VigilQueryEngine.Create(flags, console.Error, !Console.IsErrorRedirected);
    }),
    new StatusCommand(),
    new DaemonCommand(),
    new StressCommand(!Console.IsErrorRedirected),
    new RulesCommand(),
    new TopCommand(),
};
return new VigilCli(commands).Run(args, console);
