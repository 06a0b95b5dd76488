namespace Vigil.Schedule;

/// <summary>
/// osquery's splay (osquery/config/packs.cpp, <c>splayValue</c>): a query runs every <c>interval ± percent</c> seconds rather
/// than exactly every interval, so hosts sharing a config do not all query at once. osquery draws the value at random and keeps it
/// in its database; Vigil derives it from a hash of the query name and interval, which is as spread out and stable without state.
/// </summary>
public static class Splay
{
    /// <summary>The splayed interval of a query: a value in [max(1, interval − d), interval + d] with d = interval × percent / 100.</summary>
    /// <param name="name">The query's log name.</param>
    /// <param name="interval">The configured interval in seconds.</param>
    /// <param name="percent"><c>--schedule_splay_percent</c>; osquery turns 0 and 1 into 10 and leaves values over 100 unsplayed.</param>
    public static ulong Interval(string name, ulong interval, ulong percent)
    {
        if (percent <= 1)
        {
            percent = 10;
        }

        if (percent > 100)
        {
            return interval;
        }

        ulong difference = (ulong)(interval * (float)percent / 100);
        ulong max = interval + difference;
        ulong min = Math.Max(1, interval - difference);
        if (max == min)
        {
            return max;
        }

        return min + (Hash(name, interval) % (max - min + 1));
    }

    // FNV-1a over the name and interval: string.GetHashCode is randomized per process and would not be stable.
    private static ulong Hash(string name, ulong interval)
    {
        ulong hash = 14695981039346656037;
        foreach (char c in name)
        {
            hash = (hash ^ c) * 1099511628211;
        }

        for (int i = 0; i < 8; i++)
        {
            hash = (hash ^ ((interval >> (i * 8)) & 0xFF)) * 1099511628211;
        }

        return hash;
    }
}
