namespace Vigil.Tables;

/// <summary>
/// The colon-separated lines of /etc/passwd and /etc/group as glibc's files database reads them (fgetpwent_r,
/// fgetgrent_r): leading blanks skipped, empty and '#' lines ignored, a missing trailing field empty, the last field
/// the rest of the line, and a line whose numeric field is not a number left out.
/// </summary>
internal static class AccountFile
{
    /// <summary>The fields of each entry of <paramref name="path"/> cut into <paramref name="fields"/> pieces; none when it cannot be read.</summary>
    public static IEnumerable<string[]> Entries(string path, int fields)
    {
        foreach (var raw in (HostFacts.ReadText(path) ?? string.Empty).Split('\n'))
        {
            var line = raw.AsSpan().TrimStart(" \t\v\f\r");
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var entry = new string[fields];
            for (var i = 0; i < fields; i++)
            {
                var colon = i == fields - 1 ? -1 : line.IndexOf(':');
                entry[i] = (colon < 0 ? line : line[..colon]).ToString();
                line = colon < 0 ? [] : line[(colon + 1)..];
            }

            yield return entry;
        }
    }

    /// <summary>A uid or gid field as strtoul reads it into a 32-bit id; false when it is not a number.</summary>
    public static bool TryId(string field, out uint id) =>
        uint.TryParse(field, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id);
}
