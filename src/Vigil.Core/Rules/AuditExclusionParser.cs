using System.Text.Json;
using Vigil.KernelAbi;

namespace Vigil.Rules;

/// <summary>Reads exclusions from the config's <c>audit</c> object and from <c>--audit_exclude_exe</c>.</summary>
public static class AuditExclusionParser
{
    private const string EntryKeys = "exe, uid, auid, syscalls";

    /// <summary>
    /// The <c>exclude</c> list of the raw JSON of the config's <c>audit</c> key (null or no list: none).
    /// Throws <see cref="AuditExclusionException"/> naming the first bad entry.
    /// </summary>
    public static IReadOnlyList<AuditExclusion> ParseConfig(string? auditJson)
    {
        if (string.IsNullOrWhiteSpace(auditJson))
        {
            return [];
        }

        using var doc = JsonDocument.Parse(auditJson);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new AuditExclusionException("audit: must be an object");
        }

        // Other keys of audit (rules) belong to other readers.
        var exclusions = new List<AuditExclusion>();
        if (!root.TryGetProperty("exclude", out var list))
        {
            return exclusions;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new AuditExclusionException("audit.exclude: must be a list of objects");
        }

        var index = 0;
        foreach (var entry in list.EnumerateArray())
        {
            exclusions.Add(ParseEntry(entry, $"audit.exclude[{index}]"));
            index++;
        }

        return exclusions;
    }

    /// <summary>An exclusion of every Vigil syscall made by <paramref name="path"/>, from the shell flag.</summary>
    public static AuditExclusion ForExe(string path)
    {
        const string name = "--audit_exclude_exe";
        CheckExe(path, name);
        return new AuditExclusion(name, path, null, null, []);
    }

    private static AuditExclusion ParseEntry(JsonElement entry, string name)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new AuditExclusionException($"{name}: must be an object with some of {EntryKeys}");
        }

        string? exe = null;
        uint? uid = null;
        uint? auid = null;
        var syscalls = new List<string>();
        foreach (var property in entry.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "exe":
                    exe = value.ValueKind == JsonValueKind.String
                        ? value.GetString()!
                        : throw new AuditExclusionException($"{name}: exe must be a string");
                    CheckExe(exe, name);
                    break;
                case "uid":
                    uid = ReadId(value, name, "uid");
                    break;
                case "auid":
                    auid = ReadId(value, name, "auid");
                    break;
                case "syscalls":
                    ReadSyscalls(value, name, syscalls);
                    break;
                default:
                    throw new AuditExclusionException($"{name}: unknown key '{property.Name}' (expected {EntryKeys})");
            }
        }

        if (exe is null && uid is null && auid is null)
        {
            throw new AuditExclusionException($"{name}: needs at least one of exe, uid, auid");
        }

        if (uid == uint.MaxValue)
        {
            throw new AuditExclusionException($"{name}: uid 4294967295 is not a valid user id (only auid can be unset)");
        }

        return new AuditExclusion(name, exe, uid, auid, syscalls);
    }

    private static void CheckExe(string exe, string name)
    {
        if (!exe.StartsWith('/'))
        {
            throw new AuditExclusionException($"{name}: exe must be an absolute path (got '{exe}')");
        }
    }

    private static uint ReadId(JsonElement value, string name, string key)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetUInt32(out var id))
            {
                return id;
            }

            if (value.TryGetInt64(out var signed) && signed == -1)
            {
                return uint.MaxValue;
            }
        }

        throw new AuditExclusionException($"{name}: {key} must be a number from 0 to 4294967295 (got {value.GetRawText()})");
    }

    private static void ReadSyscalls(JsonElement value, string name, List<string> syscalls)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new AuditExclusionException($"{name}: syscalls must be a list of syscall names");
        }

        foreach (var item in value.EnumerateArray())
        {
            var syscall = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
            if (item.ValueKind != JsonValueKind.String || !SyscallTable.TryGetNumber(SyscallTable.ArchX86_64, syscall, out _))
            {
                throw new AuditExclusionException($"{name}: unknown syscall '{syscall}'");
            }

            syscalls.Add(syscall);
        }

        if (syscalls.Count == 0)
        {
            throw new AuditExclusionException($"{name}: syscalls is empty (leave it out to exclude every syscall Vigil audits)");
        }
    }
}
