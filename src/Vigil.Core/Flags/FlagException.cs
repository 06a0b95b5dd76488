namespace Vigil.Flags;

/// <summary>A flag that is unknown, malformed or has a value it cannot take; the message is meant for the user.</summary>
public sealed class FlagException(string message) : Exception(message);
