namespace Vigil.Benchmarks;

/// <summary>
/// The size of the stream every suite runs over: 154 passes over the 65 recorded fixture events; and of the typical
/// stream (<see cref="RecordedStream.BuildTypical"/>) that the Typical store benchmarks run over. The counts are
/// constants because BenchmarkDotNet's OperationsPerInvoke must be; <see cref="RecordedStream.Expect"/> checks them.
/// </summary>
internal static class StreamSize
{
    public const int Events = 10_010;
    public const int Records = 42_196;

    /// <summary>Events of the typical stream: 228 passes over the 44 small exec, socket and user fixture events.</summary>
    public const int TypicalEvents = 10_032;

    public const int TypicalRecords = 33_744;
}
