namespace Vigil.Rules;

/// <summary>User and group names to ids, read from passwd and group files as auditctl resolves <c>uid=root</c>.</summary>
public sealed class AccountNames
{
    private readonly Dictionary<string, uint> _users;
    private readonly Dictionary<string, uint> _groups;

    private AccountNames(Dictionary<string, uint> users, Dictionary<string, uint> groups)
    {
        _users = users;
        _groups = groups;
    }

    /// <summary>The accounts of /etc/passwd and /etc/group.</summary>
    public static AccountNames FromSystem() => FromFiles("/etc/passwd", "/etc/group");

    /// <summary>The accounts of the given passwd and group files; a missing file contributes no names.</summary>
    public static AccountNames FromFiles(string passwdPath, string groupPath) =>
        new(ReadIds(passwdPath), ReadIds(groupPath));

    /// <summary>Accounts from the text of a passwd file and a group file.</summary>
    public static AccountNames FromText(string passwd, string group) => new(ParseIds(passwd), ParseIds(group));

    /// <summary>The uid of user <paramref name="name"/>.</summary>
    public bool TryGetUid(string name, out uint uid) => _users.TryGetValue(name, out uid);

    /// <summary>The gid of group <paramref name="name"/>.</summary>
    public bool TryGetGid(string name, out uint gid) => _groups.TryGetValue(name, out gid);

    private static Dictionary<string, uint> ReadIds(string path) =>
        File.Exists(path) ? ParseIds(File.ReadAllText(path)) : new Dictionary<string, uint>(StringComparer.Ordinal);

    // Both files are name:password:id:…; the first entry of a name wins, as getpwnam returns it.
    private static Dictionary<string, uint> ParseIds(string text)
    {
        var ids = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(':');
            if (parts.Length >= 3 && parts[0].Length > 0 && uint.TryParse(parts[2], out var id))
            {
                ids.TryAdd(parts[0], id);
            }
        }

        return ids;
    }
}
