using System.Text;

namespace Vigil.Cli;

/// <summary>The streams a command reads and writes, and whether input is a terminal; tests pass their own.</summary>
public sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error, bool InputIsTerminal, Func<ConsoleKeyInfo> ReadKey)
{
    /// <summary>The process's own stdin, stdout and stderr, as UTF-8 with '\n' line ends; stdout is flushed by the commands.</summary>
    public static CliConsole FromProcess()
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var output = new StreamWriter(Console.OpenStandardOutput(), utf8) { AutoFlush = false, NewLine = "\n" };
        var error = new StreamWriter(Console.OpenStandardError(), utf8) { AutoFlush = true, NewLine = "\n" };
        var input = new StreamReader(Console.OpenStandardInput(), utf8);
        return new CliConsole(input, output, error, !Console.IsInputRedirected, static () => Console.ReadKey(intercept: true));
    }
}
