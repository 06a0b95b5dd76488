using System.Text;
using Vigil.Logging;

namespace Vigil.Tests.Logging;

/// <summary>Lines written as strings in tests, encoded as UTF-8 as the serializer would have written them.</summary>
internal static class Utf8LinesText
{
    public static void Add(this Utf8Lines lines, string line) => lines.Add(Encoding.UTF8.GetBytes(line));

    public static void AddRange(this Utf8Lines lines, IEnumerable<string> text)
    {
        foreach (var line in text)
        {
            lines.Add(line);
        }
    }
}
