namespace Vigil.Daemon;

/// <summary>
/// A kernel counter read once per check: how much it rose since the previous reading, and over how many seconds. The
/// first reading only sets the start. A reading below the previous one means the counter was reset, so all it holds
/// is new.
/// </summary>
internal struct CounterRise
{
    private long _value;
    private long _second;
    private bool _started;

    /// <summary>Takes the reading <paramref name="value"/> made at unix time <paramref name="second"/>.</summary>
    public (long Rise, long Seconds) Next(long value, long second)
    {
        var rise = !_started ? 0 : value >= _value ? value - _value : value;
        var seconds = second - _second;
        (_started, _value, _second) = (true, value, second);
        return (rise, seconds);
    }
}
