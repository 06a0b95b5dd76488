using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Vigil.Platform;
using Vigil.Rules;

namespace Vigil.Schedule;

/// <summary>
/// Reads and validates osquery-format config files (osquery/config/config.cpp and packs.cpp). Where osquery skips a bad query with
/// a warning, Vigil reports it, so <c>--config_check</c> names every problem; queries for other platforms, newer versions or other
/// shards are left out silently, as osquery does.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The largest interval osquery accepts (a week, <c>kMaxQueryInterval</c>).</summary>
    public const ulong MaxInterval = 604800;

    private static readonly string[] TopLevelKeys = ["options", "schedule", "packs", "decorators", "file_paths", "exclude_paths", "file_accesses", "events", "audit"];
    private static readonly string[] ReservedPrefixes = ["query.", "cache.", "config_views."];
    private static readonly string[] ReservedSuffixes = ["epoch", "counter"];

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    /// <summary>
    /// Reads and validates the config at <paramref name="path"/>; packs given as paths are read relative to its directory.
    /// Running as root, a config or pack file a non-root user could have written is an error (<see cref="FilePermissions"/>).
    /// </summary>
    /// <param name="path">The config file.</param>
    /// <param name="compiler">When given, every query, discovery and decorator query must compile.</param>
    /// <param name="options">Host facts and flags; defaults describe this host.</param>
    public static ConfigCheck Load(string path, IQueryRunner? compiler, ConfigLoadOptions? options = null)
    {
        if (FilePermissions.Refusal(path, "config") is { } refusal)
        {
            return new ConfigCheck(null, [new ConfigError(path, null, 0, 0, refusal)]);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ConfigCheck(null, [new ConfigError(path, null, 0, 0, $"config unreadable: {e.Message}")]);
        }

        return Parse(text, path, compiler, options);
    }

    /// <summary>Validates config text; <paramref name="file"/> names it in errors and anchors relative pack paths.</summary>
    public static ConfigCheck Parse(string json, string file, IQueryRunner? compiler, ConfigLoadOptions? options = null)
    {
        var reader = new Reader(compiler, options ?? new ConfigLoadOptions(), Path.GetDirectoryName(Path.GetFullPath(file)) ?? "/");
        var config = reader.ReadConfig(json, file);
        return reader.Errors.Count == 0 ? new ConfigCheck(config! with { Hash = Hash(json) }, []) : new ConfigCheck(null, reader.Errors);
    }

    /// <summary>
    /// osquery's config hash of one source (Config::hashSource, then genHash over the sources): the SHA-1, in lowercase
    /// hex, of the lowercase hex SHA-1 of the text as read, comments and all.
    /// </summary>
    public static string Hash(string json)
    {
        var source = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(json)));
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.ASCII.GetBytes(source)));
    }

    /// <summary>This host's shard (1..100): the first byte of the SHA-1 of its hostname, scaled as osquery's <c>getMachineShard</c>.</summary>
    public static ulong MachineShard(string hostname)
    {
        byte first = SHA1.HashData(Encoding.UTF8.GetBytes(hostname))[0];
        return (ulong)(first * 100 / 255);
    }

    /// <summary>osquery's <c>checkPlatform</c>: absent, <c>any</c>, <c>all</c>, <c>linux</c> (or the old <c>ubuntu</c>, <c>centos</c>) and <c>posix</c> run here; the value is searched, so lists like <c>"linux,darwin"</c> work.</summary>
    public static bool PlatformApplies(string? platform)
    {
        if (string.IsNullOrEmpty(platform) || platform == "null")
        {
            return true;
        }

        foreach (var accepted in (ReadOnlySpan<string>)["any", "all", "linux", "ubuntu", "centos", "posix"])
        {
            if (platform.Contains(accepted, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="available"/> is at least <paramref name="required"/>, comparing dotted numbers.</summary>
    public static bool VersionAtLeast(string required, string available)
    {
        if (required.Length == 0 || required == "null")
        {
            return true;
        }

        var need = required.Split('.');
        var have = available.Split('.');
        for (int i = 0; i < Math.Max(need.Length, have.Length); i++)
        {
            long n = i < need.Length ? LeadingNumber(need[i]) : 0;
            long h = i < have.Length ? LeadingNumber(have[i]) : 0;
            if (n != h)
            {
                return h > n;
            }
        }

        return true;
    }

    private static long LeadingNumber(string part)
    {
        int end = 0;
        while (end < part.Length && char.IsAsciiDigit(part[end]))
        {
            end++;
        }

        return end == 0 ? 0 : long.Parse(part.AsSpan(0, Math.Min(end, 18)), CultureInfo.InvariantCulture);
    }

    /// <summary>osquery drops whole lines starting with <c>#</c> or <c>//</c>; they become empty so line numbers stay true.</summary>
    private static string StripCommentLines(string json)
    {
        var sb = new StringBuilder(json.Length);
        foreach (var line in json.Split('\n'))
        {
            var trimmed = line.AsSpan().TrimStart();
            if (!trimmed.StartsWith("#") && !trimmed.StartsWith("//"))
            {
                sb.Append(line);
            }

            sb.Append('\n');
        }

        sb.Length--;
        return sb.ToString();
    }

    private sealed class Reader
    {
        private readonly IQueryRunner? _compiler;
        private readonly ConfigLoadOptions _options;
        private readonly string _baseDirectory;
        private readonly ulong _machineShard;

        public Reader(IQueryRunner? compiler, ConfigLoadOptions options, string baseDirectory)
        {
            _compiler = compiler;
            _options = options;
            _baseDirectory = baseDirectory;
            _machineShard = MachineShard(options.Hostname);
        }

        public List<ConfigError> Errors { get; } = [];

        public OsqueryConfig? ReadConfig(string json, string file)
        {
            using var doc = ParseDocument(json, file);
            if (doc is null)
            {
                return null;
            }

            var config = new OsqueryConfig();
            foreach (var section in doc.RootElement.EnumerateObject())
            {
                var value = section.Value;
                switch (section.Name)
                {
                    case "options":
                        config = config with { Options = ReadOptions(value, file) };
                        break;
                    case "schedule":
                        config = config with { Schedule = ReadQueries(value, file, "schedule", "main") };
                        break;
                    case "packs":
                        config = config with { Packs = ReadPacks(value, file) };
                        break;
                    case "decorators":
                        config = config with { Decorators = ReadDecorators(value, file) };
                        break;
                    case "file_paths":
                        config = config with { FilePaths = value.GetRawText() };
                        CheckFilePaths(config.FilePaths, null, file, "file_paths");
                        break;
                    case "exclude_paths":
                        config = config with { ExcludePaths = value.GetRawText() };
                        CheckFilePaths(null, config.ExcludePaths, file, "exclude_paths");
                        break;
                    case "file_accesses":
                        config = config with { FileAccesses = value.GetRawText() };
                        break;
                    case "events":
                        config = config with { Events = value.GetRawText() };
                        break;
                    case "audit":
                        config = config with { Audit = value.GetRawText() };
                        CheckAudit(config.Audit, file);
                        break;
                    default:
                        Error(file, section.Name, $"unknown top-level key (expected one of {string.Join(", ", TopLevelKeys)})");
                        break;
                }
            }

            return config;
        }

        private JsonDocument? ParseDocument(string json, string file)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(StripCommentLines(json), DocumentOptions);
            }
            catch (JsonException e)
            {
                string reason = e.Message;
                int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
                if (cut > 0)
                {
                    reason = reason[..cut];
                }

                Errors.Add(new ConfigError(file, null, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, $"not valid JSON: {reason}"));
                return null;
            }

            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                Errors.Add(new ConfigError(file, null, 0, 0, "the root of the document must be a JSON object"));
                doc.Dispose();
                return null;
            }

            return doc;
        }

        private Dictionary<string, string> ReadOptions(JsonElement value, string file)
        {
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!ExpectObject(value, file, "options"))
            {
                return options;
            }

            foreach (var option in value.EnumerateObject())
            {
                var v = option.Value;
                switch (v.ValueKind)
                {
                    case JsonValueKind.True:
                        options[option.Name] = "true";
                        break;
                    case JsonValueKind.False:
                        options[option.Name] = "false";
                        break;
                    case JsonValueKind.Number:
                        options[option.Name] = v.GetRawText();
                        break;
                    case JsonValueKind.String:
                        options[option.Name] = v.GetString()!;
                        break;
                    default:
                        Error(file, $"options.{option.Name}", "must be a boolean, number or string");
                        break;
                }
            }

            return options;
        }

        private List<ScheduledQuery> ReadQueries(JsonElement value, string file, string keyPath, string pack)
        {
            var queries = new List<ScheduledQuery>();
            if (!ExpectObject(value, file, keyPath))
            {
                return queries;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in value.EnumerateObject())
            {
                string path = $"{keyPath}.{entry.Name}";
                if (!seen.Add(entry.Name))
                {
                    Error(file, path, "duplicate query name");
                    continue;
                }

                var query = ReadQuery(entry.Name, entry.Value, file, path, pack);
                if (query is not null)
                {
                    queries.Add(query);
                }
            }

            // osquery runs a pack's queries by startup priority, then by name.
            queries.Sort((a, b) =>
            {
                int c = (a.StartupPriority ?? ulong.MaxValue).CompareTo(b.StartupPriority ?? ulong.MaxValue);
                return c != 0 ? c : string.CompareOrdinal(a.QueryName, b.QueryName);
            });
            return queries;
        }

        private ScheduledQuery? ReadQuery(string name, JsonElement value, string file, string path, string pack)
        {
            if (!ExpectObject(value, file, path))
            {
                return null;
            }

            string? platform = ReadString(value, "platform", file, path);
            string? version = ReadString(value, "version", file, path);
            ulong shard = ReadSize(value, "shard", file, path) ?? 0;
            if (!PlatformApplies(platform) || (version is not null && !VersionAtLeast(version, _options.OsqueryVersion)) || (shard > 0 && shard < _machineShard))
            {
                return null;
            }

            bool valid = true;
            foreach (var prefix in ReservedPrefixes)
            {
                valid &= !name.StartsWith(prefix, StringComparison.Ordinal);
            }

            foreach (var suffix in ReservedSuffixes)
            {
                valid &= !name.EndsWith(suffix, StringComparison.Ordinal);
            }

            if (!valid)
            {
                Error(file, path, "query name is reserved (it starts with query., cache. or config_views., or ends with epoch or counter)");
            }

            string? sql = null;
            if (!value.TryGetProperty("query", out var queryElement))
            {
                Error(file, $"{path}.query", "missing query");
                valid = false;
            }
            else if (queryElement.ValueKind != JsonValueKind.String)
            {
                Error(file, $"{path}.query", "must be a string");
                valid = false;
            }
            else
            {
                sql = queryElement.GetString()!;
                if (sql.Trim().Length == 0)
                {
                    Error(file, $"{path}.query", "missing query");
                    valid = false;
                }
                else
                {
                    valid &= CheckCompiles(sql, file, $"{path}.query");
                }
            }

            ulong interval = _options.DefaultInterval;
            if (value.TryGetProperty("interval", out var intervalElement))
            {
                ulong? read = ReadInterval(intervalElement, file, $"{path}.interval");
                valid &= read is not null;
                interval = read ?? 0;
            }

            bool? snapshot = ReadBool(value, "snapshot", file, path);
            bool? removed = ReadBool(value, "removed", file, path);
            bool? denylist = ReadBool(value, "denylist", file, path);
            ulong? startupPriority = ReadSize(value, "startup_priority", file, path);
            if (!valid || sql is null)
            {
                return null;
            }

            return new ScheduledQuery
            {
                Name = pack == "main" ? name : $"pack{_options.PackDelimiter}{pack}{_options.PackDelimiter}{name}",
                Pack = pack,
                QueryName = name,
                Sql = sql,
                Interval = interval,
                Snapshot = snapshot ?? false,
                Removed = removed ?? true,
                Denylist = denylist ?? true,
                StartupPriority = startupPriority,
                Platform = platform,
                Version = version,
                Shard = shard,
            };
        }

        private ulong? ReadInterval(JsonElement value, string file, string path)
        {
            bool isInteger = TryReadInteger(value, out long seconds);
            if (!isInteger)
            {
                Error(file, path, $"interval must be an integer number of seconds, got {value.GetRawText()}");
                return null;
            }

            if (seconds < 1 || (ulong)seconds > MaxInterval)
            {
                Error(file, path, $"interval must be between 1 and {MaxInterval} seconds, got {seconds}");
                return null;
            }

            return (ulong)seconds;
        }

        private static bool TryReadInteger(JsonElement value, out long n)
        {
            n = 0;
            return value.ValueKind switch
            {
                JsonValueKind.Number => value.TryGetInt64(out n),
                JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n),
                _ => false,
            };
        }

        private List<PackConfig> ReadPacks(JsonElement value, string file)
        {
            var packs = new List<PackConfig>();
            if (!ExpectObject(value, file, "packs"))
            {
                return packs;
            }

            foreach (var entry in value.EnumerateObject())
            {
                string path = $"packs.{entry.Name}";
                PackConfig? pack = entry.Value.ValueKind switch
                {
                    JsonValueKind.Object => ReadPack(entry.Name, entry.Value, file, path + ".", null),
                    JsonValueKind.String => ReadPackFile(entry.Name, entry.Value.GetString()!, file, path),
                    _ => null,
                };
                if (entry.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.String))
                {
                    Error(file, path, "a pack must be a path or an object");
                }

                if (pack is not null)
                {
                    packs.Add(pack);
                }
            }

            return packs;
        }

        private PackConfig? ReadPackFile(string name, string packPath, string file, string path)
        {
            string fullPath = Path.GetFullPath(packPath, _baseDirectory);
            if (FilePermissions.Refusal(fullPath, "pack") is { } refusal)
            {
                Error(file, path, refusal);
                return null;
            }

            string text;
            try
            {
                text = File.ReadAllText(fullPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Error(file, path, $"pack path unreadable: {e.Message}");
                return null;
            }

            using var doc = ParseDocument(text, fullPath);
            return doc is null ? null : ReadPack(name, doc.RootElement, fullPath, string.Empty, fullPath);
        }

        private PackConfig? ReadPack(string name, JsonElement value, string file, string prefix, string? sourcePath)
        {
            string packPath = prefix.Length == 0 ? "(pack)" : prefix[..^1];
            string? platform = ReadString(value, "platform", file, packPath);
            string? version = ReadString(value, "version", file, packPath);
            ulong shard = ReadSize(value, "shard", file, packPath) ?? 0;
            var pack = new PackConfig { Name = name, SourcePath = sourcePath, Platform = platform, Version = version, Shard = shard };
            if (!PlatformApplies(platform) || (version is not null && !VersionAtLeast(version, _options.OsqueryVersion)) || (shard > 0 && shard < _machineShard))
            {
                return pack with { Applies = false };
            }

            var discovery = ReadQueryList(value, "discovery", file, prefix + "discovery");
            var queries = value.TryGetProperty("queries", out var q) ? ReadQueries(q, file, prefix + "queries", name) : [];
            return pack with { Discovery = discovery, Queries = queries };
        }

        private DecoratorConfig ReadDecorators(JsonElement value, string file)
        {
            if (!ExpectObject(value, file, "decorators"))
            {
                return new DecoratorConfig();
            }

            var intervals = new SortedDictionary<ulong, IReadOnlyList<string>>();
            if (value.TryGetProperty("interval", out var interval) && ExpectObject(interval, file, "decorators.interval"))
            {
                foreach (var entry in interval.EnumerateObject())
                {
                    string path = $"decorators.interval.{entry.Name}";
                    if (!ulong.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out ulong rate) || rate == 0 || rate % 60 != 0)
                    {
                        Error(file, path, "interval must be a positive multiple of 60 seconds");
                        continue;
                    }

                    intervals[rate] = ReadQueryArray(entry.Value, file, path);
                }
            }

            return new DecoratorConfig
            {
                Load = ReadQueryList(value, "load", file, "decorators.load"),
                Always = ReadQueryList(value, "always", file, "decorators.always"),
                Interval = intervals,
            };
        }

        private List<string> ReadQueryList(JsonElement parent, string property, string file, string path) =>
            parent.TryGetProperty(property, out var value) ? ReadQueryArray(value, file, path) : [];

        private List<string> ReadQueryArray(JsonElement value, string file, string path)
        {
            var queries = new List<string>();
            if (value.ValueKind != JsonValueKind.Array)
            {
                Error(file, path, "must be an array of queries");
                return queries;
            }

            int i = 0;
            foreach (var item in value.EnumerateArray())
            {
                string itemPath = $"{path}[{i++}]";
                if (item.ValueKind != JsonValueKind.String)
                {
                    Error(file, itemPath, "must be a string");
                    continue;
                }

                string sql = item.GetString()!;
                if (CheckCompiles(sql, file, itemPath))
                {
                    queries.Add(sql);
                }
            }

            return queries;
        }

        private bool CheckCompiles(string sql, string file, string path)
        {
            if (_compiler is null || _compiler.Compiles(sql, out string? error))
            {
                return true;
            }

            Error(file, path, $"query does not compile: {error}");
            return false;
        }

        private string? ReadString(JsonElement parent, string property, string file, string path)
        {
            if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Error(file, $"{path}.{property}", "must be a string");
                return null;
            }

            return value.GetString();
        }

        private bool? ReadBool(JsonElement parent, string property, string file, string path)
        {
            if (!parent.TryGetProperty(property, out var value))
            {
                return null;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.String when value.ValueEquals("true"):
                    return true;
                case JsonValueKind.String when value.ValueEquals("false"):
                    return false;
                default:
                    Error(file, $"{path}.{property}", "must be a boolean");
                    return null;
            }
        }

        private ulong? ReadSize(JsonElement parent, string property, string file, string path)
        {
            if (!parent.TryGetProperty(property, out var value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out ulong n))
            {
                return n;
            }

            if (value.ValueKind == JsonValueKind.String && ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n))
            {
                return n;
            }

            Error(file, $"{path}.{property}", "must be a non-negative integer");
            return null;
        }

        private bool ExpectObject(JsonElement value, string file, string path)
        {
            if (value.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            Error(file, path, "must be an object");
            return false;
        }

        // Exclusions are read again when the daemon starts collecting; checking them here makes --config_check and
        // the daemon's start report a bad entry like any other config error.
        private void CheckAudit(string audit, string file)
        {
            try
            {
                AuditExclusionParser.ParseConfig(audit);
            }
            catch (AuditExclusionException e)
            {
                Error(file, "audit", e.Message);
            }
        }

        // The watched paths are read again when collection starts; a bad entry is a config error here as well.
        private void CheckFilePaths(string? filePaths, string? excludePaths, string file, string key)
        {
            try
            {
                FilePatterns.Parse(filePaths, excludePaths);
            }
            catch (AuditExclusionException e)
            {
                Error(file, key, e.Message);
            }
        }

        private void Error(string file, string keyPath, string reason) => Errors.Add(new ConfigError(file, keyPath, 0, 0, reason));
    }
}
