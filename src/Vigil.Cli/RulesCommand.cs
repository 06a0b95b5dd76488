using Vigil.Flags;
using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Rules;

namespace Vigil.Cli;

/// <summary><c>vigil rules</c>: list, add, delete and load kernel audit rules written in auditctl syntax.</summary>
public sealed class RulesCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "rules";

    /// <inheritdoc/>
    public string Summary => "List, add, delete or load kernel audit rules in auditctl syntax";

    /// <inheritdoc/>
    public string Usage =>
        "Usage: vigil rules list | add -- 'LINE' | delete -- 'LINE' | load FILE | clear-own\n\n" +
        "(the -- keeps a line such as '-a always,exit …' from being read as a flag)\n" +
        "list       prints the loaded rules as auditctl -l does\n" +
        "add        adds one rule (-a/-A/-w line)\n" +
        "delete     deletes the rule an -a/-w line describes (-d/-W lines too)\n" +
        "load       applies a rules file: nothing is added if a line does not parse, and a kernel refusal\n" +
        "           removes the rules the file added; --audit_rules_ignore_errors=true loads the good lines (auditctl -i)\n" +
        "clear-own  deletes only the rules with key " + AuditRule.VigilKey;

    /// <inheritdoc/>
    public int Run(FlagValues flags, IReadOnlyList<string> arguments, CliConsole console)
    {
        if (arguments.Count == 0)
        {
            throw new CliException("rules needs a subcommand: list, add, delete, load or clear-own");
        }

        var sub = arguments[0];
        var expected = sub is "list" or "clear-own" ? 1 : 2;
        if (sub is not ("list" or "add" or "delete" or "load" or "clear-own"))
        {
            throw new CliException($"unknown rules subcommand '{sub}' (list, add, delete, load, clear-own)");
        }

        if (arguments.Count != expected)
        {
            throw new CliException(expected == 1 ? $"rules {sub} takes no arguments" : $"rules {sub} takes one argument");
        }

        if (!AuditPrivilege.HasAuditCapabilities(File.ReadAllText("/proc/self/status")))
        {
            throw new CliException("audit rules need root (or CAP_AUDIT_CONTROL)");
        }

        using var client = AuditClient.OpenUnicast();
        return sub switch
        {
            "list" => List(client, console),
            "add" => Single(client, arguments[1], delete: false, console),
            "delete" => Single(client, arguments[1], delete: true, console),
            "load" => Load(client, arguments[1], flags.Get(VigilFlags.AuditRulesIgnoreErrors), console),
            _ => ClearOwn(client, console),
        };
    }

    private static int List(AuditClient client, CliConsole console)
    {
        var rules = client.ListRules();
        if (rules.Count == 0)
        {
            console.Out.Write("No rules\n");
        }

        foreach (var rule in rules)
        {
            console.Out.Write(rule.ToAuditctlText() + "\n");
        }

        console.Out.Flush();
        return 0;
    }

    private static int Single(AuditClient client, string line, bool delete, CliConsole console)
    {
        var command = Parse(line);
        if (command.Rule is null)
        {
            throw new CliException($"not a rule: {line} (use vigil rules load for settings lines)");
        }

        if (!delete && command.Kind != AuditctlCommandKind.AddRule)
        {
            throw new CliException($"not a rule to add: {line}");
        }

        if (delete)
        {
            command = command with { Kind = AuditctlCommandKind.DeleteRule };
        }

        return Report(new AuditctlLoader(client), [command], ignoreErrors: false, console);
    }

    private static int Load(AuditClient client, string path, bool ignoreErrors, CliConsole console)
    {
        var errors = new List<AuditctlSyntaxException>();
        var commands = AuditctlParser.ForSystem().ParseFile(File.ReadAllText(path), errors);
        foreach (var error in errors)
        {
            console.Error.Write($"{path}: {error.Message}\n");
        }

        if (errors.Count > 0 && !ignoreErrors)
        {
            console.Error.Write($"{path}: nothing loaded: {errors.Count} line(s) do not parse\n");
            console.Error.Flush();
            return 1;
        }

        var status = Report(new AuditctlLoader(client), commands, ignoreErrors, console);
        return errors.Count > 0 ? 1 : status;
    }

    private static int ClearOwn(AuditClient client, CliConsole console)
    {
        var deleted = 0;
        foreach (var data in client.ListRuleData())
        {
            if (AuditctlLoader.HasKey(AuditRule.Decode(data), AuditRule.VigilKey))
            {
                client.DeleteRule(data);
                deleted++;
            }
        }

        console.Out.Write($"deleted {deleted} rule(s) with key {AuditRule.VigilKey}\n");
        console.Out.Flush();
        return 0;
    }

    private static AuditctlCommand Parse(string line)
    {
        try
        {
            return AuditctlParser.ForSystem().Parse(line);
        }
        catch (AuditctlSyntaxException error)
        {
            throw new CliException(error.Message);
        }
    }

    private static int Report(AuditctlLoader loader, IReadOnlyList<AuditctlCommand> commands, bool ignoreErrors, CliConsole console)
    {
        var ok = loader.Apply(commands, ignoreErrors);
        foreach (var error in loader.Errors)
        {
            console.Error.Write(error + "\n");
        }

        console.Error.Flush();
        return ok ? 0 : 1;
    }
}
