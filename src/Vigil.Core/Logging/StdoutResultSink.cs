namespace Vigil.Logging;

/// <summary>osquery's <c>stdout</c> logger plugin: every result and snapshot line on standard output.</summary>
public sealed class StdoutResultSink : IResultSink
{
    private readonly TextWriter _out;
    private readonly Lock _lock = new();

    /// <summary>Creates the sink over <paramref name="output"/> (standard output by default).</summary>
    public StdoutResultSink(TextWriter? output = null) => _out = output ?? Console.Out;

    /// <inheritdoc />
    public void LogResults(Utf8Lines lines) => Write(lines.ToStrings());

    /// <inheritdoc />
    public void LogSnapshots(Utf8Lines lines) => Write(lines.ToStrings());

    private void Write(IReadOnlyList<string> lines)
    {
        lock (_lock)
        {
            foreach (var line in lines)
            {
                _out.Write(line);
                _out.Write('\n');
            }

            _out.Flush();
        }
    }
}
