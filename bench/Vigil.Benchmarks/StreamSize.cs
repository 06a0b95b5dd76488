namespace Vigil.Benchmarks;

/// <summary>
/// The size of the stream every suite runs over: 154 passes over the 65 recorded fixture events. The counts are
/// constants because BenchmarkDotNet's OperationsPerInvoke must be; <see cref="RecordedStream.Expect"/> checks them.
/// </summary>
internal static class StreamSize
{
    public const int Events = 10_010;
    public const int Records = 42_196;
}
