using System.Text;

namespace Vigil.Flags;

/// <summary>Formats flags for <c>--help</c>: one line each, with the kind of value, the description and the default.</summary>
public static class FlagHelp
{
    /// <summary>The help lines for <paramref name="flags"/>, each ending in a newline.</summary>
    public static string Format(IEnumerable<FlagDefinition> flags)
    {
        var rows = new List<(string Left, string Right)>();
        foreach (var flag in flags)
        {
            var left = (flag.ShortName is { } letter ? $"-{letter}, " : "") + "--" + flag.Name + flag.Kind switch
            {
                FlagKind.Bool => "",
                FlagKind.Int => " N",
                _ => flag.AllowedValues.Count > 0 ? " " + string.Join("|", flag.AllowedValues) : " VALUE",
            };
            var right = flag.Description + (flag.Kind == FlagKind.List || flag.DefaultText.Length == 0
                ? ""
                : $" (default: {flag.DefaultText})");
            rows.Add((left, right));
        }

        var width = 0;
        foreach (var (left, _) in rows)
        {
            width = Math.Max(width, left.Length);
        }

        var text = new StringBuilder();
        foreach (var (left, right) in rows)
        {
            text.Append("  ").Append(left.PadRight(width)).Append("  ").Append(right).Append('\n');
        }

        return text.ToString();
    }
}
