using System.Text.RegularExpressions;
using Vigil.Flags;

namespace Vigil.Tables;

/// <summary>
/// The <c>--audit_redact_patterns</c> regexes: masks secrets in a command line before its row is stored.
/// A pattern without groups has its whole match replaced by <see cref="Mask"/>; a pattern with groups keeps the
/// match and masks only what its groups captured, so <c>--password[= ](\S+)</c> turns
/// <c>--password=hunter2</c> into <c>--password=***</c>. Patterns are applied in flag order, each to the
/// result of the previous one. A pattern that runs past <see cref="MatchTimeout"/> masks the whole command line:
/// a hostile argument must not be able to make a secret slip through.
/// </summary>
public sealed class RedactionPatterns
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "***";

    /// <summary>The longest one pattern may take on one command line.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex[] _patterns;

    private RedactionPatterns(Regex[] patterns) => _patterns = patterns;

    /// <summary>
    /// Compiles <paramref name="patterns"/>; returns null when there are none (redaction off). Throws
    /// <see cref="FlagException"/> naming the first pattern that is not a valid .NET regex.
    /// </summary>
    public static RedactionPatterns? Create(IReadOnlyList<string> patterns)
    {
        if (patterns.Count == 0)
        {
            return null;
        }

        var regexes = new Regex[patterns.Count];
        for (var i = 0; i < patterns.Count; i++)
        {
            try
            {
                regexes[i] = new Regex(patterns[i], RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);
            }
            catch (ArgumentException e)
            {
                throw new FlagException($"invalid --{VigilFlags.AuditRedactPatterns.Name} pattern '{patterns[i]}': {e.Message}");
            }
        }

        return new RedactionPatterns(regexes);
    }

    /// <summary>The command line with every match masked; the same instance when nothing matched.</summary>
    public string Redact(string commandLine)
    {
        var result = commandLine;
        try
        {
            foreach (var pattern in _patterns)
            {
                result = pattern.GetGroupNumbers().Length > 1
                    ? pattern.Replace(result, MaskGroups)
                    : pattern.Replace(result, Mask);
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return Mask;
        }

        return result;
    }

    // Rebuilds the match with each captured group (outermost, non-overlapping, in order) replaced by the mask.
    private static string MaskGroups(Match match)
    {
        var text = match.Value;
        var builder = new System.Text.StringBuilder(text.Length);
        var position = match.Index;
        for (var g = 1; g < match.Groups.Count; g++)
        {
            var group = match.Groups[g];
            if (!group.Success || group.Index < position)
            {
                continue;
            }

            builder.Append(text, position - match.Index, group.Index - position).Append(Mask);
            position = group.Index + group.Length;
        }

        builder.Append(text, position - match.Index, match.Index + match.Length - position);
        return builder.ToString();
    }
}
