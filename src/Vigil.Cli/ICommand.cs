using Vigil.Flags;

namespace Vigil.Cli;

/// <summary>A <c>vigil</c> subcommand such as <c>shell</c>.</summary>
public interface ICommand
{
    /// <summary>The word that selects the command.</summary>
    string Name { get; }

    /// <summary>One line for the command list in <c>vigil --help</c>.</summary>
    string Summary { get; }

    /// <summary>The usage line and a short explanation, for <c>vigil NAME --help</c>.</summary>
    string Usage { get; }

    /// <summary>Runs with the parsed flags and the arguments after the command's name; returns the exit code.</summary>
    /// <exception cref="CliException">The user asked for something that cannot be done.</exception>
    int Run(FlagValues flags, IReadOnlyList<string> arguments, CliConsole console);
}
