namespace Vigil.Flags;

/// <summary>What a command line holds: the flags' values and the other arguments, in order.</summary>
public sealed record FlagParseResult(FlagValues Values, IReadOnlyList<string> Positionals);
