namespace Vigil.Events;

/// <summary>
/// The last <see cref="Size"/> kernel serials of one node: which are missing (counted as gaps, uncounted when
/// they arrive late) and which belong to events already emitted. Serials are compared modulo 2^32, so the
/// counter rolling over from 4294967295 to 0 is an ordinary step. A serial at or below the highest one but with a
/// later time than it is a counter that started again (a reboot in the log, logs of two hosts read together): the
/// kernel takes an event's time just before its serial, so an earlier serial is never much later in time.
/// </summary>
internal sealed class SerialWindow
{
    public const int Size = 4096;

    /// <summary>A forward jump beyond this is a restarted counter (another boot in the same log), not a loss.</summary>
    public const int MaxJump = 1 << 24;

    /// <summary>
    /// How much later than the highest serial's time an earlier serial may be and still be the same counter: two CPUs
    /// can take their times and serials in opposite orders, by far less than this.
    /// </summary>
    public const long MaxTimeInversionMilliseconds = 1000;

    private readonly ulong[] _missing = new ulong[Size / 64];
    private readonly ulong[] _emitted = new ulong[Size / 64];
    private bool _started;
    private uint _highest;
    private long _highestMilliseconds;

    /// <summary>Notes a serial seen for the first time, of an event at <paramref name="milliseconds"/>; returns the change in the gap count.</summary>
    public long Observe(uint serial, long milliseconds)
    {
        var distance = (int)(serial - _highest);
        if (!_started || distance > MaxJump || distance <= -Size || (distance <= 0 && IsLaterCounter(milliseconds)))
        {
            Restart(serial, milliseconds);
            return 0;
        }

        if (distance <= 0)
        {
            if (!IsSet(_missing, serial))
            {
                return 0;
            }

            Clear(_missing, serial);
            return -1;
        }

        if (distance >= Size)
        {
            Array.Fill(_missing, ulong.MaxValue);
            Array.Clear(_emitted);
        }
        else
        {
            for (var skipped = _highest + 1; skipped != serial; skipped++)
            {
                Set(_missing, skipped);
                Clear(_emitted, skipped);
            }
        }

        Clear(_missing, serial);
        Clear(_emitted, serial);
        _highest = serial;
        _highestMilliseconds = Math.Max(_highestMilliseconds, milliseconds);
        return distance - 1;
    }

    /// <summary>Whether <paramref name="serial"/> is in the window and its event, of the same counter, was already emitted.</summary>
    public bool WasEmitted(uint serial, long milliseconds) => InWindow(serial) && !IsLaterCounter(milliseconds) && IsSet(_emitted, serial);

    /// <summary>Remembers that the event of <paramref name="serial"/> was emitted.</summary>
    public void MarkEmitted(uint serial)
    {
        if (InWindow(serial))
        {
            Set(_emitted, serial);
        }
    }

    private bool InWindow(uint serial)
    {
        var distance = (int)(serial - _highest);
        return _started && distance <= 0 && distance > -Size;
    }

    private bool IsLaterCounter(long milliseconds) => milliseconds > _highestMilliseconds + MaxTimeInversionMilliseconds;

    private void Restart(uint serial, long milliseconds)
    {
        _started = true;
        _highest = serial;
        _highestMilliseconds = milliseconds;
        Array.Clear(_missing);
        Array.Clear(_emitted);
    }

    private static bool IsSet(ulong[] bits, uint serial) => (bits[(serial / 64) % (Size / 64)] & (1UL << (int)(serial % 64))) != 0;

    private static void Set(ulong[] bits, uint serial) => bits[(serial / 64) % (Size / 64)] |= 1UL << (int)(serial % 64);

    private static void Clear(ulong[] bits, uint serial) => bits[(serial / 64) % (Size / 64)] &= ~(1UL << (int)(serial % 64));
}
