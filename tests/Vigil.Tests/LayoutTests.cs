using System.Text.RegularExpressions;
using Xunit;

namespace Vigil.Tests;

/// <summary>
/// The README's Layout table is the map of src/Vigil.Core: every folder is in it, and a folder's code names only the
/// folders above it, so the arrows run with the data path and no two folders depend on each other.
/// </summary>
public sealed partial class LayoutTests
{
    private static readonly string Root = Checkout.Root;

    [Fact]
    public void Every_library_folder_is_a_row_of_the_readme_layout_and_every_row_a_folder()
    {
        var folders = Directory.GetDirectories(Path.Combine(Root, "src", "Vigil.Core"))
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(folders, ReadmeLayout().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_folder_names_only_the_folders_above_it_in_the_readme_layout()
    {
        var order = ReadmeLayout();
        var against = new List<string>();
        foreach (var folder in order)
        {
            var rank = order.IndexOf(folder);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "src", "Vigil.Core", folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match reference in StageReference().Matches(File.ReadAllText(file)))
                {
                    var used = reference.Groups[1].Value;
                    if (order.IndexOf(used) > rank)
                    {
                        against.Add($"{Path.GetRelativePath(Root, file)} uses {used}");
                    }
                }
            }
        }

        Assert.Empty(against.Distinct());
    }

    /// <summary>The folders of the Layout table, in its order.</summary>
    private static List<string> ReadmeLayout()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var section = readme[readme.IndexOf("## Layout", StringComparison.Ordinal)..];
        return [.. LayoutRow().Matches(section).Select(row => row.Groups[1].Value)];
    }

    [GeneratedRegex(@"^\| `(\w+)/` \|", RegexOptions.Multiline)]
    private static partial Regex LayoutRow();

    [GeneratedRegex(@"\bVigil\.(\w+)\b")]
    private static partial Regex StageReference();
}
