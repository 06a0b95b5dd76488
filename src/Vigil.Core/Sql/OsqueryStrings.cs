using System.Text.RegularExpressions;
using Vigil.Tables;

namespace Vigil.Sql;

/// <summary>
/// The string functions osquery adds to SQLite (osquery/sql/sqlite_string.cpp), their results given as .NET values:
/// null is SQL NULL, <see cref="SqlFunctionException"/> an SQL error with osquery's message.
/// </summary>
/// <remarks>
/// osquery's regular expressions are std::regex's ECMAScript over bytes; these are .NET's ECMAScript option over
/// UTF-16, which agrees on ASCII text. A match gives up after <see cref="RegexTimeout"/> instead of running for as long
/// as a pathological pattern makes it, since queries may come from a fleet server.
/// </remarks>
public static class OsqueryStrings
{
    /// <summary>osquery's --regex_max_size default: the longest pattern, in bytes, regex_match and regex_split take.</summary>
    public const int RegexMaxSize = 256;

    /// <summary>How long one match may run before the function fails.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private const RegexOptions Dialect = RegexOptions.ECMAScript | RegexOptions.CultureInvariant;

    /// <summary><c>split(text, tokens, index)</c>: piece <paramref name="index"/> of osquery's split at any of the token characters; NULL past the last.</summary>
    public static string? Split(string text, string tokens, long index)
    {
        if (tokens.Length == 0)
        {
            throw new SqlFunctionException("Invalid input to split function");
        }

        var pieces = OsquerySplit.Split(text, tokens);
        return Select(pieces, index);
    }

    /// <summary>
    /// <c>regex_split(text, pattern, index)</c>: piece <paramref name="index"/> of the text between the pattern's
    /// matches, as std::sregex_token_iterator with -1 gives them (no trailing empty piece after a final match).
    /// </summary>
    public static string? RegexSplit(string text, string pattern, long index)
    {
        if (pattern.Length == 0)
        {
            throw new SqlFunctionException("Invalid input to split function");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(pattern) > RegexMaxSize)
        {
            throw new SqlFunctionException("Invalid regex");
        }

        var pieces = new List<string>();
        var start = 0;
        var matched = false;
        Run(() =>
        {
            foreach (Match match in Regex.Matches(text, pattern, Dialect, RegexTimeout))
            {
                pieces.Add(text[start..match.Index]);
                start = match.Index + match.Length;
                matched = true;
            }
        });

        if (!matched || start < text.Length)
        {
            pieces.Add(text[start..]);
        }

        return Select(pieces, index);
    }

    /// <summary>
    /// <c>regex_match(text, pattern, index)</c>: group <paramref name="index"/> of the first match (0 the whole match,
    /// '' for a group that took no part); NULL when nothing matches or there is no such group.
    /// </summary>
    public static string? RegexMatch(string text, string pattern, long index)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(pattern) > RegexMaxSize)
        {
            throw new SqlFunctionException($"Invalid regex: too big, max size is {RegexMaxSize} bytes");
        }

        Match match = Match.Empty;
        Run(() => match = Regex.Match(text, pattern, Dialect, RegexTimeout));
        return !match.Success || index < 0 || index >= match.Groups.Count ? null : match.Groups[(int)index].Value;
    }

    /// <summary><c>inet_aton(text)</c>: a dotted-quad IPv4 address as inet_pton(3) reads it, as its 32-bit number; NULL for anything else.</summary>
    public static long? InetAton(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }

        long value = 0;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }

        foreach (var part in parts)
        {
            // inet_pton takes one to three decimal digits, no sign and no leading zero.
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') || part.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0)
            {
                return null;
            }

            var octet = int.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
            if (octet > 255)
            {
                return null;
            }

            value = (value << 8) | (uint)octet;
        }

        return value;
    }

    /// <summary>
    /// <c>concat(...)</c> and <c>concat_ws(separator, ...)</c> as osquery joins them: NULL arguments skipped, and the
    /// separator written after each argument that is not the last one given, so <c>concat_ws('-', 'a', NULL)</c> is
    /// 'a-'. No argument to join gives NULL.
    /// </summary>
    public static string? Concat(string separator, IReadOnlyList<string?> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var text = new System.Text.StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } value)
            {
                continue;
            }

            text.Append(value);
            if (i + 1 < values.Count)
            {
                text.Append(separator);
            }
        }

        return text.ToString();
    }

    private static string? Select(List<string> pieces, long index) => index < 0 || index >= pieces.Count ? null : pieces[(int)index];

    /// <summary>Runs a match (through Regex's cache of compiled patterns), turning a bad pattern or a timeout into the function's error.</summary>
    private static void Run(Action match)
    {
        try
        {
            match();
        }
        catch (RegexMatchTimeoutException)
        {
            throw new SqlFunctionException($"Regex match took longer than {RegexTimeout.TotalSeconds} s");
        }
        catch (ArgumentException)
        {
            throw new SqlFunctionException("Invalid regex");
        }
    }
}
