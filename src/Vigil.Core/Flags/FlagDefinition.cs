using System.Globalization;

namespace Vigil.Flags;

/// <summary>A flag's name, kind, default and help text, independent of its value type.</summary>
public abstract class FlagDefinition
{
    private protected FlagDefinition(string name, FlagKind kind, string description, IReadOnlyList<string> allowedValues)
    {
        Name = name;
        Kind = kind;
        Description = description;
        AllowedValues = allowedValues;
    }

    /// <summary>The flag's name without dashes, in osquery's snake_case.</summary>
    public string Name { get; }

    /// <summary>The one-letter form written with one dash, or null; osquery's flags have none, a few of Vigil's do.</summary>
    public char? ShortName { get; private protected set; }

    /// <summary>Whether the flag only means something to <c>vigil shell</c>, as osquery's shell flags do to osqueryi.</summary>
    public bool ShellOnly { get; private protected set; }

    /// <summary>How the flag's value is written.</summary>
    public FlagKind Kind { get; }

    /// <summary>One line of help.</summary>
    public string Description { get; }

    /// <summary>The only words a string flag accepts, or empty when any text goes.</summary>
    public IReadOnlyList<string> AllowedValues { get; }

    /// <summary>The default as it is shown in help.</summary>
    public abstract string DefaultText { get; }

    internal abstract object DefaultValue { get; }

    /// <summary>Parses a value given on the command line or in a flagfile; throws <see cref="FlagException"/> when it does not fit.</summary>
    internal object Parse(string text) => Kind switch
    {
        FlagKind.Bool => TryParseBool(text, out var b) ? b : throw BadValue(text, "expected true or false"),
        FlagKind.Int => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw BadValue(text, "expected a non-negative integer"),
        FlagKind.String when AllowedValues.Count > 0 && !AllowedValues.Contains(text) =>
            throw BadValue(text, "expected one of " + string.Join(", ", AllowedValues)),
        _ => text,
    };

    /// <summary>Defines a boolean flag.</summary>
    public static Flag<bool> Bool(string name, bool defaultValue, string description) =>
        new(name, FlagKind.Bool, defaultValue, defaultValue ? "true" : "false", description, []);

    /// <summary>Defines a non-negative integer flag.</summary>
    public static Flag<long> Int(string name, long defaultValue, string description) =>
        new(name, FlagKind.Int, defaultValue, defaultValue.ToString(CultureInfo.InvariantCulture), description, []);

    /// <summary>Defines a free-text flag.</summary>
    public static Flag<string> String(string name, string defaultValue, string description) =>
        new(name, FlagKind.String, defaultValue, defaultValue, description, []);

    /// <summary>Defines a text flag that only takes one of <paramref name="allowedValues"/>.</summary>
    public static Flag<string> Choice(string name, string defaultValue, string description, params string[] allowedValues) =>
        new(name, FlagKind.String, defaultValue, defaultValue, description, allowedValues);

    /// <summary>Defines a repeatable flag whose default is empty.</summary>
    public static Flag<IReadOnlyList<string>> List(string name, string description) =>
        new(name, FlagKind.List, Array.Empty<string>(), "", description, []);

    // gflags' spellings, case-insensitive.
    private static bool TryParseBool(string text, out bool value)
    {
        switch (text.ToLowerInvariant())
        {
            case "true" or "t" or "yes" or "y" or "1":
                value = true;
                return true;
            case "false" or "f" or "no" or "n" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private FlagException BadValue(string text, string expectation) =>
        new($"invalid value for --{Name}: '{text}' ({expectation})");
}
