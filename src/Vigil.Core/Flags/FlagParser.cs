using Vigil.Platform;

namespace Vigil.Flags;

/// <summary>
/// Parses gflags-style arguments: <c>--name=value</c>, <c>--name value</c>, bare <c>--name</c> (bool true),
/// <c>--noname</c> (bool false); one dash works as well as two, and <c>--</c> ends the flags. A flag with a one-letter
/// form also takes <c>-x value</c> and <c>-x=value</c>.
/// </summary>
/// <remarks>
/// <c>--flagfile=PATH</c> holds one flag per line; blank lines and lines starting with <c>#</c> are skipped, and a
/// flagfile may not name another flagfile. Precedence: a flag on the command line beats the same flag in the
/// flagfile wherever the two appear; within one source the later occurrence wins. A repeatable flag given on the
/// command line replaces the flagfile's occurrences rather than adding to them. Running as root, a flagfile a
/// non-root user could have written is refused (<see cref="FilePermissions"/>).
/// </remarks>
public sealed class FlagParser
{
    private readonly Dictionary<string, FlagDefinition> _known;
    private readonly Dictionary<string, FlagDefinition> _short = new(StringComparer.Ordinal);
    private readonly Func<string, string[]> _readLines;

    /// <summary>A parser for <paramref name="known"/> flags; flagfiles are read with <paramref name="readLines"/> (default: the file system).</summary>
    public FlagParser(IEnumerable<FlagDefinition> known, Func<string, string[]>? readLines = null)
    {
        _known = known.ToDictionary(static f => f.Name, StringComparer.Ordinal);
        foreach (var flag in _known.Values)
        {
            if (flag.ShortName is { } letter)
            {
                _short.Add(letter.ToString(), flag);
            }
        }

        _readLines = readLines ?? File.ReadAllLines;
    }

    /// <summary>A parser for all of <see cref="VigilFlags.All"/>.</summary>
    public static FlagParser ForVigil() => new(VigilFlags.All);

    /// <summary>Parses <paramref name="args"/>; throws <see cref="FlagException"/> with a message for the user on any mistake.</summary>
    public FlagParseResult Parse(IReadOnlyList<string> args)
    {
        var fromCommandLine = new List<(FlagDefinition Flag, object Value)>();
        var positionals = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                for (i++; i < args.Count; i++)
                {
                    positionals.Add(args[i]);
                }

                break;
            }

            if (!IsFlag(arg))
            {
                positionals.Add(arg);
                continue;
            }

            var (flag, value, needsValue) = ParseToken(arg);
            if (needsValue)
            {
                if (i + 1 >= args.Count)
                {
                    throw new FlagException($"flag --{flag.Name} needs a value");
                }

                value = flag.Parse(args[++i]);
            }

            fromCommandLine.Add((flag, value!));
        }

        var values = new FlagValues();
        var flagfile = LastValue(fromCommandLine, VigilFlags.Flagfile.Name);
        if (!string.IsNullOrEmpty(flagfile))
        {
            Apply(values, ReadFlagfile(flagfile));
        }

        Apply(values, fromCommandLine);
        return new FlagParseResult(values, positionals);
    }

    private static bool IsFlag(string arg) => arg.Length > 1 && arg[0] == '-';

    private static string? LastValue(List<(FlagDefinition Flag, object Value)> assignments, string name)
    {
        string? last = null;
        foreach (var (flag, value) in assignments)
        {
            if (flag.Name == name)
            {
                last = (string)value;
            }
        }

        return last;
    }

    private static void Apply(FlagValues values, List<(FlagDefinition Flag, object Value)> assignments)
    {
        var lists = new Dictionary<FlagDefinition, List<string>>();
        foreach (var (flag, value) in assignments)
        {
            if (flag.Kind != FlagKind.List)
            {
                values.Set(flag, value);
            }
            else if (lists.TryGetValue(flag, out var list))
            {
                list.Add((string)value);
            }
            else
            {
                lists.Add(flag, [(string)value]);
            }
        }

        foreach (var (flag, list) in lists)
        {
            values.Set(flag, list.ToArray());
        }
    }

    private List<(FlagDefinition Flag, object Value)> ReadFlagfile(string path)
    {
        if (FilePermissions.Refusal(path, "flagfile") is { } refusal)
        {
            throw new FlagException(refusal);
        }

        string[] lines;
        try
        {
            lines = _readLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FlagException($"cannot read flagfile {path}: {e.Message}");
        }

        var assignments = new List<(FlagDefinition Flag, object Value)>();
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            try
            {
                if (!IsFlag(line))
                {
                    throw new FlagException($"expected --name=value, found '{line}'");
                }

                var (flag, value, needsValue) = ParseToken(line);
                if (needsValue)
                {
                    throw new FlagException($"flag --{flag.Name} needs a value (write --{flag.Name}=VALUE)");
                }

                if (flag.Name == VigilFlags.Flagfile.Name)
                {
                    throw new FlagException("a flagfile cannot name another flagfile");
                }

                assignments.Add((flag, value!));
            }
            catch (FlagException e)
            {
                throw new FlagException($"{path}:{n + 1}: {e.Message}");
            }
        }

        return assignments;
    }

    // Returns the flag and its parsed value, or needsValue when the value is the next argument.
    private (FlagDefinition Flag, object? Value, bool NeedsValue) ParseToken(string token)
    {
        var body = token.AsSpan(token[1] == '-' ? 2 : 1);
        var equals = body.IndexOf('=');
        var name = (equals < 0 ? body : body[..equals]).ToString();
        if (_known.TryGetValue(name, out var flag) || (token[1] != '-' && _short.TryGetValue(name, out flag)))
        {
            if (equals >= 0)
            {
                return (flag, flag.Parse(body[(equals + 1)..].ToString()), false);
            }

            return flag.Kind == FlagKind.Bool ? (flag, true, false) : (flag, null, true);
        }

        if (name.StartsWith("no", StringComparison.Ordinal) && _known.TryGetValue(name[2..], out var negated))
        {
            if (negated.Kind != FlagKind.Bool)
            {
                throw new FlagException($"--{name}: only bool flags take the 'no' prefix, and --{negated.Name} is not one");
            }

            if (equals >= 0)
            {
                throw new FlagException($"--{name} takes no value; write --{negated.Name}=VALUE");
            }

            return (negated, false, false);
        }

        var suggestion = NameSuggestion.Closest(name, _known.Keys);
        throw new FlagException(suggestion is null
            ? $"unknown flag: --{name}"
            : $"unknown flag: --{name} (did you mean --{suggestion}?)");
    }
}
