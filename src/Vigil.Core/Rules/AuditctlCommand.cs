namespace Vigil.Rules;

/// <summary>One parsed auditctl line: a rule to add or delete, or a setting to change.</summary>
/// <param name="Kind">What the line asks for.</param>
/// <param name="Rule">The rule of <see cref="AuditctlCommandKind.AddRule"/> and <see cref="AuditctlCommandKind.DeleteRule"/>, else null.</param>
/// <param name="Value">The number of a setting (<c>-b</c>, <c>-e</c>, <c>-f</c>, <c>-r</c>, <c>--backlog_wait_time</c>).</param>
/// <param name="Key">The key of <c>-D -k key</c>, else null.</param>
/// <param name="LineNumber">The 1-based line in its file.</param>
/// <param name="Text">The line as written, without surrounding blanks.</param>
public sealed record AuditctlCommand(
    AuditctlCommandKind Kind, AuditRule? Rule, uint Value, string? Key, int LineNumber, string Text);
