namespace Vigil.Logging;

/// <summary>A destination of serialized result lines (an osquery logger plugin's <c>logString</c> and <c>logSnapshot</c>).</summary>
public interface IResultSink
{
    /// <summary>Writes the lines of differential runs, in order.</summary>
    void LogResults(Utf8Lines lines);

    /// <summary>Writes the lines of snapshot runs, in order.</summary>
    void LogSnapshots(Utf8Lines lines);
}
