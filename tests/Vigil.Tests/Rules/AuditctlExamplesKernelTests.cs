using System.IO.Compression;
using System.Text;
using Vigil.Netlink;
using Vigil.Rules;
using Vigil.Tests.Kernel;
using Xunit.Abstractions;
using Xunit;

namespace Vigil.Tests.Rules;

/// <summary>
/// Every rule line of auditd's example rule files, added by auditctl and listed back from the kernel, must equal
/// Vigil's encoding of the same line byte for byte and list as auditctl -l prints it.
/// </summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class AuditctlExamplesKernelTests(KernelAuditFixture fixture, ITestOutputHelper output)
{
    private const string ExamplesDirectory = "/usr/share/doc/auditd/examples/rules";

    // Lines that change global settings, some irreversibly (-e 2, --loginuid-immutable): parsed, never run.
    private static readonly HashSet<AuditctlCommandKind> SettingKinds =
    [
        AuditctlCommandKind.DeleteAll, AuditctlCommandKind.SetBacklogLimit, AuditctlCommandKind.SetBacklogWaitTime,
        AuditctlCommandKind.SetEnabled, AuditctlCommandKind.SetFailure, AuditctlCommandKind.SetRateLimit,
        AuditctlCommandKind.IgnoreErrors, AuditctlCommandKind.ContinueOnError, AuditctlCommandKind.LoginUidImmutable,
    ];

    [AuditctlFact]
    public void Every_example_rule_encodes_as_auditctl_sends_it_and_lists_as_auditctl_prints_it()
    {
        var files = ExampleFiles();
        Assert.NotEmpty(files);
        var parser = AuditctlParser.ForSystem();
        var mismatches = new List<string>();
        var matched = 0;
        var rejected = new List<string>();
        using var client = AuditClient.OpenUnicast();
        Assert.Empty(client.ListRuleData());
        try
        {
            foreach (var (file, number, line) in ExampleLines(files))
            {
                var where = $"{file}:{number}: {line}";
                AuditctlCommand? command = null;
                string? parseError = null;
                try
                {
                    command = parser.Parse(line, number);
                }
                catch (AuditctlSyntaxException error)
                {
                    parseError = error.Reason;
                }

                if (command is not null && SettingKinds.Contains(command.Kind))
                {
                    continue;
                }

                var (exitCode, _, stderr) = Auditctl.Run(line);
                if (exitCode != 0)
                {
                    rejected.Add($"{where} => auditctl: {stderr.Trim().Replace('\n', ' ')}");
                    if (command?.Rule is { } refused && VigilAddSucceeds(client, refused))
                    {
                        mismatches.Add($"{where}: auditctl refuses it but the kernel took Vigil's rule");
                    }

                    Assert.Empty(client.ListRuleData());
                    continue;
                }

                var listed = client.ListRuleData();
                var auditctlText = Auditctl.Run("-l").Output.TrimEnd('\n');
                try
                {
                    if (command?.Rule is null)
                    {
                        mismatches.Add($"{where}: auditctl takes it, Vigil refuses it: {parseError}");
                        continue;
                    }

                    Assert.Single(listed);
                    var encoded = command.Rule.Encode();
                    encoded[0] &= unchecked((byte)~AuditRule.FilterPrepend);
                    var sent = encoded.AsSpan(0, AuditRule.EncodedLength(encoded)).ToArray();
                    if (!sent.AsSpan().SequenceEqual(listed[0]))
                    {
                        mismatches.Add($"{where}: encoding differs\n  vigil:  {Describe(command.Rule)}\n  kernel: {Describe(AuditRule.Decode(listed[0]))}");
                        continue;
                    }

                    var text = AuditRule.Decode(listed[0]).ToAuditctlText();
                    if (text != auditctlText)
                    {
                        mismatches.Add($"{where}: text differs\n  vigil:    {text}\n  auditctl: {auditctlText}");
                        continue;
                    }

                    matched++;
                }
                finally
                {
                    foreach (var rule in listed)
                    {
                        client.DeleteRule(rule);
                    }
                }
            }
        }
        finally
        {
            fixture.Restore();
        }

        output.WriteLine($"{matched} example rule lines matched auditctl byte for byte and as auditctl -l text");
        output.WriteLine($"{rejected.Count} lines auditctl itself rejects on this machine:");
        foreach (var line in rejected)
        {
            output.WriteLine("  " + line);
        }

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
        Assert.True(matched >= 200, $"only {matched} example lines were compared");
    }

    [AuditctlFact]
    public void A_watch_added_by_auditctl_is_deleted_by_vigils_encoding_of_the_matching_W_line()
    {
        var parser = AuditctlParser.ForSystem();
        using var client = AuditClient.OpenUnicast();
        try
        {
            Assert.Equal(0, Auditctl.Run("-w /etc/hosts/ -p wa -k one -k two").ExitCode);
            Assert.Single(client.ListRuleData());

            client.DeleteRule(parser.Parse("-W /etc/hosts -p wa -k one -k two").Rule!);

            Assert.Empty(client.ListRuleData());
        }
        finally
        {
            fixture.Restore();
        }
    }

    private static bool VigilAddSucceeds(AuditClient client, AuditRule rule)
    {
        try
        {
            client.AddRule(rule);
        }
        catch (AuditNetlinkException)
        {
            return false;
        }

        client.DeleteRule(rule);
        return true;
    }

    private static string Describe(AuditRule rule)
    {
        var text = new StringBuilder();
        text.Append($"list={rule.List} action={rule.Action} all={rule.AllSyscalls} mask63=0x{rule.SyscallMask[^1]:x}");
        foreach (var field in rule.Fields)
        {
            text.Append($" [{field.Field} 0x{(uint)field.Operator:x} 0x{field.Value:x} {field.Text}]");
        }

        return text.ToString();
    }

    private static string[] ExampleFiles()
    {
        if (!Directory.Exists(ExamplesDirectory))
        {
            Assert.Fail($"{ExamplesDirectory} is missing (install auditd)");
        }

        var files = Directory.GetFiles(ExamplesDirectory, "*.rules")
            .Concat(Directory.GetFiles(ExamplesDirectory, "*.rules.gz"))
            .ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    // The active lines, plus commented-out rules (#-a, # -w …) that the files offer to uncomment; -e 2 and
    // the shell pipelines that generate rules are not rules.
    private static IEnumerable<(string File, int Number, string Line)> ExampleLines(string[] files)
    {
        foreach (var path in files)
        {
            var lines = ReadText(path).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.StartsWith('#'))
                {
                    line = line.TrimStart('#').Trim();
                    if (!(line.StartsWith("-a ", StringComparison.Ordinal) || line.StartsWith("-w ", StringComparison.Ordinal)))
                    {
                        continue;
                    }
                }

                if (line.Length > 0)
                {
                    yield return (Path.GetFileName(path), i + 1, line);
                }
            }
        }
    }

    private static string ReadText(string path)
    {
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return File.ReadAllText(path);
        }

        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }
}
