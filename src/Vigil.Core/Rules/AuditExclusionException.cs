namespace Vigil.Rules;

/// <summary>An exclusion entry that cannot become a kernel rule; the message names the entry.</summary>
public sealed class AuditExclusionException(string message) : Exception(message);
