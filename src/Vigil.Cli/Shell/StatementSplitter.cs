namespace Vigil.Cli.Shell;

/// <summary>
/// Finds where SQL statements end: at a <c>;</c> outside string literals ('…'), quoted identifiers ("…", `…`, […])
/// and comments (-- to end of line, /* … */).
/// </summary>
/// <remarks>A <c>CREATE TRIGGER … BEGIN …; END;</c> body is split at its inner semicolons; the shell has no use for triggers.</remarks>
public static class StatementSplitter
{
    /// <summary>The index just past the first statement-ending <c>;</c> in <paramref name="text"/>, or -1 when no statement is complete.</summary>
    public static int FindEnd(ReadOnlySpan<char> text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            switch (ch)
            {
                case ';':
                    return i + 1;
                case '\'' or '"' or '`':
                    i = SkipPast(text, i + 1, ch);
                    break;
                case '[':
                    i = SkipPast(text, i + 1, ']');
                    break;
                case '-' when i + 1 < text.Length && text[i + 1] == '-':
                    i = SkipPast(text, i + 2, '\n');
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '*':
                    var close = text[(i + 2)..].IndexOf("*/");
                    i = close < 0 ? text.Length : i + 2 + close + 2;
                    break;
                default:
                    i++;
                    break;
            }

            if (i < 0)
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>Whether <paramref name="text"/> holds nothing but whitespace, comments and semicolons.</summary>
    public static bool IsBlank(ReadOnlySpan<char> text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]) || text[i] == ';')
            {
                i++;
            }
            else if (text[i..].StartsWith("--"))
            {
                var end = text[i..].IndexOf('\n');
                i = end < 0 ? text.Length : i + end + 1;
            }
            else if (text[i..].StartsWith("/*"))
            {
                var end = text[(i + 2)..].IndexOf("*/");
                i = end < 0 ? text.Length : i + 2 + end + 2;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    // Quotes are closed by the same character; a doubled quote ('it''s') just closes and reopens, which is the same.
    // Returns -1 when the text ends inside the quote or comment.
    private static int SkipPast(ReadOnlySpan<char> text, int start, char closing)
    {
        var end = text[start..].IndexOf(closing);
        return end < 0 ? (closing == '\n' ? text.Length : -1) : start + end + 1;
    }
}
