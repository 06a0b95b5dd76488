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

    internal void Set(FlagDefinition flag, object value) => _given[flag.Name] = value;
}
