namespace Vigil.Flags;

/// <summary>A flag whose value is read as <typeparamref name="T"/> through <see cref="FlagValues.Get{T}(Flag{T})"/>.</summary>
public sealed class Flag<T> : FlagDefinition
    where T : notnull
{
    internal Flag(string name, FlagKind kind, T defaultValue, string defaultText, string description, IReadOnlyList<string> allowedValues)
        : base(name, kind, description, allowedValues)
    {
        Default = defaultValue;
        DefaultText = defaultText;
    }

    /// <summary>The value when the flag is not given.</summary>
    public T Default { get; }

    /// <inheritdoc/>
    public override string DefaultText { get; }

    internal override object DefaultValue => Default;

    /// <summary>Marks the flag as one only <c>vigil shell</c> reads; returns the flag.</summary>
    internal Flag<T> ForShellOnly()
    {
        ShellOnly = true;
        return this;
    }

    /// <summary>Gives the flag a one-letter form, written with one dash (<c>-n 10</c>); returns the flag.</summary>
    internal Flag<T> WithShortName(char letter)
    {
        ShortName = letter;
        return this;
    }
}
