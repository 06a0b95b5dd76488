namespace Vigil.Flags;

/// <summary>The values flags took after parsing; a flag never given reads as its default.</summary>
public sealed class FlagValues
{
    private readonly Dictionary<string, object> _given = new(StringComparer.Ordinal);

    /// <summary>Values where every flag has its default.</summary>
    public static FlagValues Defaults => new();

    /// <summary>The flag's value, typed by its definition.</summary>
    public T Get<T>(Flag<T> flag)
        where T : notnull => _given.TryGetValue(flag.Name, out var value) ? (T)value : flag.Default;

    /// <summary>Whether the flag was given on the command line or in the flagfile.</summary>
    public bool IsSet(FlagDefinition flag) => _given.ContainsKey(flag.Name);

    /// <summary>The value as text, as help and status output show it (lists joined with commas).</summary>
    public string GetText(FlagDefinition flag) => _given.TryGetValue(flag.Name, out var value)
        ? value switch
        {
            bool b => b ? "true" : "false",
            IReadOnlyList<string> list => string.Join(",", list),
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
        }
        : flag.DefaultText;

    /// <summary>
    /// A copy where each option of a config's <c>options</c> section that names a known flag not given on the command
    /// line takes that value; throws <see cref="FlagException"/> for a value that does not fit. Unknown names are returned.
    /// </summary>
    public FlagValues WithOptions(IReadOnlyDictionary<string, string> options, IReadOnlyList<FlagDefinition> known, out List<string> unknown)
    {
        var copy = new FlagValues();
        foreach (var (name, value) in _given)
        {
            copy._given[name] = value;
        }

        unknown = [];
        foreach (var (name, text) in options)
        {
            var flag = known.FirstOrDefault(f => f.Name == name);
            if (flag is null)
            {
                unknown.Add(name);
            }
            else if (!IsSet(flag))
            {
                copy._given[name] = flag.Parse(text);
            }
        }

        return copy;
    }

    internal void Set(FlagDefinition flag, object value) => _given[flag.Name] = value;
}
