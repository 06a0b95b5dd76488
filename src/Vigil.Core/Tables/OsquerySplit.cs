namespace Vigil.Tables;

/// <summary>
/// osquery's <c>split</c> (osquery/utils/conversions/split.cpp), which its table builders and its SQL function
/// <c>split()</c> read text with: cut at every character of the delimiter set, drop the empty pieces, then trim the
/// C whitespace off each piece (so a piece of spaces alone stays, as '').
/// </summary>
public static class OsquerySplit
{
    private const string CWhitespace = " \t\n\v\f\r";

    /// <summary>The pieces of <paramref name="text"/> between any of the characters of <paramref name="delimiters"/>.</summary>
    public static List<string> Split(string text, string delimiters)
    {
        var pieces = new List<string>();
        var start = 0;
        while (start <= text.Length)
        {
            var cut = text.AsSpan(start).IndexOfAny(delimiters);
            var end = cut < 0 ? text.Length : start + cut;
            if (end > start)
            {
                pieces.Add(text.AsSpan(start, end - start).Trim(CWhitespace).ToString());
            }

            start = end + 1;
        }

        return pieces;
    }

    /// <summary>
    /// The first <paramref name="occurrences"/> pieces of <paramref name="text"/> cut at <paramref name="delimiter"/>,
    /// then the remaining pieces joined back with it: <c>KEY=a=b</c> at '=' once is <c>KEY</c> and <c>a=b</c>.
    /// </summary>
    public static List<string> Split(string text, char delimiter, int occurrences)
    {
        var pieces = Split(text, delimiter.ToString());
        if (pieces.Count > occurrences + 1)
        {
            var rest = string.Join(delimiter, pieces.GetRange(occurrences, pieces.Count - occurrences));
            pieces.RemoveRange(occurrences, pieces.Count - occurrences);
            pieces.Add(rest);
        }

        return pieces;
    }
}
