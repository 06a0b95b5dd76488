namespace Vigil.Rules;

/// <summary>
/// The rules of <c>--audit_rules_file</c>: auditctl rule lines (<c>-a</c>, <c>-A</c>, <c>-w</c>) only, since
/// deletions and settings (<c>-D</c>, <c>-b</c>, <c>-e</c>…) would undo other tools' rules or Vigil's own settings.
/// </summary>
public static class AuditRulesFile
{
    /// <summary>
    /// Reads and parses <paramref name="path"/>; every refused line is in the exception's message.
    /// </summary>
    /// <exception cref="FormatException">A line does not parse or is not a rule to add.</exception>
    public static List<AuditRule> Read(string path, AuditctlParser parser)
    {
        var errors = new List<AuditctlSyntaxException>();
        var commands = parser.ParseFile(File.ReadAllText(path), errors);
        var messages = new List<(int Line, string Text)>();
        foreach (var error in errors)
        {
            messages.Add((error.LineNumber, error.Message));
        }

        var rules = new List<AuditRule>(commands.Count);
        foreach (var command in commands)
        {
            if (command.Kind == AuditctlCommandKind.AddRule)
            {
                rules.Add(command.Rule!);
            }
            else
            {
                messages.Add((command.LineNumber, $"line {command.LineNumber}: only rules to add (-a, -A, -w) are allowed here: {command.Text}"));
            }
        }

        if (messages.Count > 0)
        {
            messages.Sort(static (a, b) => a.Line.CompareTo(b.Line));
            throw new FormatException($"{path}: {string.Join("; ", messages.Select(m => m.Text))}");
        }

        return rules;
    }
}
