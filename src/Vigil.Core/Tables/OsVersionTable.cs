using System.Text.RegularExpressions;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>os_version</c> on Linux (osquery/tables/system/linux/os_version.cpp): one row from /etc/os-release,
/// overridden by /etc/redhat-release or /etc/gentoo-release where they exist, with uname's machine as arch.
/// </summary>
public sealed partial class OsVersionTable : ILiveTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Name = Columns.Add("name", ColumnType.Text, "Distribution or product name");
    private static readonly int Version = Columns.Add("version", ColumnType.Text, "Pretty, suitable for presentation, OS version");
    private static readonly int Major = Columns.Add("major", ColumnType.Integer, "Major release version");
    private static readonly int Minor = Columns.Add("minor", ColumnType.Integer, "Minor release version");
    private static readonly int Patch = Columns.Add("patch", ColumnType.Integer, "Optional patch release");
    private static readonly int Build = Columns.Add("build", ColumnType.Text, "Optional build-specific or variant string");
    private static readonly int Platform = Columns.Add("platform", ColumnType.Text, "OS Platform or ID");
    private static readonly int PlatformLike = Columns.Add("platform_like", ColumnType.Text, "Closely related platforms");
    private static readonly int Codename = Columns.Add("codename", ColumnType.Text, "OS version codename");
    private static readonly int Arch = Columns.Add("arch", ColumnType.Text, "OS Architecture");
    private static readonly int Extra = Columns.Add("extra", ColumnType.Text, "Optional extra release specification", hidden: true);
    private static readonly int InstallDate = Columns.Add("install_date", ColumnType.BigInt, "The install date of the OS.", hidden: true);
    private static readonly int Revision = Columns.Add("revision", ColumnType.Integer, "Update Build Revision, refers to the specific revision number of a Windows update", hidden: true);
    private static readonly int PidWithNamespace = Columns.Add("pid_with_namespace", ColumnType.Integer, "Pids that contain a namespace", hidden: true);
    private static readonly int MountNamespaceId = Columns.Add("mount_namespace_id", ColumnType.Text, "Mount namespace id", hidden: true);

    /// <summary>specs/os_version.table with the columns of the other platforms, hidden, as osquery builds it on Linux.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("os_version", "A single row containing the operating system name and version.", isEventTable: false);

    private readonly string _etc;

    /// <summary>The table over this host's /etc.</summary>
    public OsVersionTable()
        : this("/etc")
    {
    }

    /// <summary>The table over the release files of <paramref name="etc"/> (tests give a directory of their own).</summary>
    internal OsVersionTable(string etc)
    {
        _etc = etc;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        var row = OsqueryRow.Empty(Schema);
        row[Name] = ColumnValue.Of("Unknown");
        row[Major] = ColumnValue.Of(0);
        row[Minor] = ColumnValue.Of(0);
        row[Patch] = ColumnValue.Of(0);
        row[Platform] = ColumnValue.Of("posix");
        row[PidWithNamespace] = ColumnValue.Of(0);

        // Funtoo's os-release is empty; osquery then keeps the defaults.
        if (HostFacts.ReadText(Path.Combine(_etc, "os-release")) is { Length: > 0 } osRelease)
        {
            ReadOsRelease(osRelease, row);
        }

        row[Arch] = ColumnValue.Of(HostFacts.Machine());

        string? release;
        if ((release = HostFacts.ReadText(Path.Combine(_etc, "redhat-release"))) is not null)
        {
            row[Platform] = row[PlatformLike] = ColumnValue.Of("rhel");
        }
        else if ((release = HostFacts.ReadText(Path.Combine(_etc, "gentoo-release"))) is not null)
        {
            row[Platform] = row[PlatformLike] = ColumnValue.Of("gentoo");
        }
        else
        {
            return [row];
        }

        ReadOlderRelease(release, row);
        return [row];
    }

    /// <summary>KEY=value lines as systemd's os-release(5) has them; keys osquery does not map are skipped.</summary>
    private static void ReadOsRelease(string text, ColumnValue[] row)
    {
        foreach (var line in OsquerySplit.Split(text, "\n"))
        {
            var fields = OsquerySplit.Split(line, '=', 1);
            if (fields.Count != 2)
            {
                continue;
            }

            var value = fields[1];
            if (value.Length > 0 && value[0] == '"')
            {
                // osquery takes the first and the last character off, whatever the last one is.
                value = value.Length >= 2 ? value[1..^1] : string.Empty;
            }

            switch (fields[0])
            {
                case "NAME":
                    row[Name] = ColumnValue.Of(value);
                    break;
                case "VERSION":
                    row[Version] = ColumnValue.Of(value);
                    break;
                case "BUILD_ID":
                    row[Build] = ColumnValue.Of(value);
                    break;
                case "ID":
                    row[Platform] = ColumnValue.Of(value);
                    break;
                case "ID_LIKE":
                    row[PlatformLike] = ColumnValue.Of(value);
                    break;
                case "VERSION_ID":
                    ReadVersionId(value, row);
                    break;
                case var key when key.Contains("CODENAME", StringComparison.Ordinal):
                    // VERSION_CODENAME, and the CODENAME keys some distributions invent.
                    row[Codename] = ColumnValue.Of(value);
                    break;
            }
        }
    }

    /// <summary>major, minor and patch from VERSION_ID's first three dotted parts (the third keeps any further dots).</summary>
    private static void ReadVersionId(string value, ColumnValue[] row)
    {
        var parts = OsquerySplit.Split(value, '.', 2);
        int[] columns = [Major, Minor, Patch];
        for (var i = 0; i < parts.Count; i++)
        {
            row[columns[i]] = OsqueryRow.Integer(parts[i]);
        }
    }

    /// <summary>An older Red Hat or Gentoo release line ("CentOS release 6.10 (Final)"): the whole text is the version.</summary>
    private static void ReadOlderRelease(string text, ColumnValue[] row)
    {
        var content = CompressWhitespace(text);
        foreach (var line in OsquerySplit.Split(content, "\n"))
        {
            var match = ReleaseLine().Match(line);
            if (match.Success)
            {
                row[Name] = ColumnValue.Of(match.Groups[1].Value);
                row[Major] = OsqueryRow.Integer(match.Groups[2].Value);
                row[Minor] = OsqueryRow.Integer(match.Groups[3].Value);
                row[Patch] = match.Groups[4].Value.Length == 0 ? ColumnValue.Of(0) : OsqueryRow.Integer(match.Groups[4].Value);
                break;
            }
        }

        row[Version] = ColumnValue.Of(content);
        row[Build] = ColumnValue.Of(string.Empty);
    }

    /// <summary>boost's trim_all: the ends trimmed and each inner run of whitespace reduced to its first character.</summary>
    private static string CompressWhitespace(string text)
    {
        var trimmed = text.AsSpan().Trim();
        var result = new System.Text.StringBuilder(trimmed.Length);
        for (var i = 0; i < trimmed.Length; i++)
        {
            if (!char.IsWhiteSpace(trimmed[i]) || i == 0 || !char.IsWhiteSpace(trimmed[i - 1]))
            {
                result.Append(trimmed[i]);
            }
        }

        return result.ToString();
    }

    [GeneratedRegex(@"([\w+\s]+) .* ([0-9]+)\.([0-9]+)\.?(\w+)?", RegexOptions.ECMAScript)]
    private static partial Regex ReleaseLine();
}
