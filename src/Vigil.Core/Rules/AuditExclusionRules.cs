using System.IO.Enumeration;
using Vigil.KernelAbi;

namespace Vigil.Rules;

/// <summary>
/// Turns exclusions into kernel <c>never,exit</c> rules: one per architecture (b64, and b32 when the syscalls exist
/// there), one per socket call on b32's socketcall, and each per executable, since the kernel's exe field takes one
/// exact path and has no wildcards.
/// </summary>
public static class AuditExclusionRules
{
    /// <summary>
    /// The rules for <paramref name="exclusions"/>; an exclusion without syscalls covers <paramref name="vigilSyscalls"/>.
    /// Wildcards in exe are expanded now, against the file system; a pattern that matches nothing gives no rule.
    /// </summary>
    public static List<AuditRule> Build(IReadOnlyList<AuditExclusion> exclusions, IReadOnlyList<string> vigilSyscalls)
    {
        var rules = new List<AuditRule>();
        foreach (var exclusion in exclusions)
        {
            var syscalls = exclusion.Syscalls.Count > 0 ? exclusion.Syscalls : vigilSyscalls;
            if (syscalls.Count == 0)
            {
                continue;
            }

            string?[] executables = exclusion.Exe is null ? [null] : [.. ExpandExe(exclusion.Exe)];
            foreach (var exe in executables)
            {
                foreach (var arch in (ReadOnlySpan<uint>)[SyscallTable.ArchX86_64, SyscallTable.ArchI386])
                {
                    if (Rule(exclusion, exe, arch, syscalls) is { } rule)
                    {
                        rules.Add(rule);
                    }
                }

                // A 32-bit program's socket calls may go through socketcall, which Vigil's rules catch per call.
                foreach (var name in syscalls)
                {
                    if (SocketCall.TryGetCall(name, out var call))
                    {
                        rules.Add(Select(AuditRule.ForSocketCall(SyscallTable.ArchI386, call, AuditRuleAction.Never), exclusion, exe));
                    }
                }
            }
        }

        return rules;
    }

    /// <summary>
    /// The executables an exe entry names: the path itself when it has no wildcard, else the existing files matching
    /// it (<c>*</c> and <c>?</c> within one path segment), sorted. Symbolic links are resolved to their final target,
    /// because the kernel matches the file the task runs, not the link it was started through.
    /// </summary>
    public static IReadOnlyList<string> ExpandExe(string pattern)
    {
        var matches = new List<string>();
        Expand("/", pattern.Split('/', StringSplitOptions.RemoveEmptyEntries), 0, matches);
        var resolved = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in matches)
        {
            var target = File.Exists(path) ? File.ResolveLinkTarget(path, returnFinalTarget: true) : null;
            resolved.Add(target?.FullName ?? path);
        }

        return [.. resolved];
    }

    private static void Expand(string directory, string[] segments, int index, List<string> matches)
    {
        var segment = segments[index];
        var last = index == segments.Length - 1;
        if (segment.AsSpan().IndexOfAny('*', '?') < 0)
        {
            var path = Path.Join(directory, segment);
            if (last)
            {
                matches.Add(path);
            }
            else
            {
                Expand(path, segments, index + 1, matches);
            }

            return;
        }

        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            if (!FileSystemName.MatchesSimpleExpression(segment, Path.GetFileName(entry.AsSpan()), ignoreCase: false))
            {
                continue;
            }

            if (!last)
            {
                Expand(entry, segments, index + 1, matches);
            }
            else if (File.Exists(entry))
            {
                matches.Add(entry);
            }
        }
    }

    private static AuditRule? Rule(AuditExclusion exclusion, string? exe, uint arch, IReadOnlyList<string> syscalls)
    {
        var rule = new AuditRule { Action = AuditRuleAction.Never };
        var any = false;
        foreach (var name in syscalls)
        {
            if (SyscallTable.TryGetNumber(arch, name, out var number))
            {
                rule.AddSyscall(number);
                any = true;
            }
        }

        if (!any)
        {
            return null;
        }

        rule.Fields.Add(AuditRuleField.Number(AuditField.Arch, AuditOperator.Equal, arch));
        return Select(rule, exclusion, exe);
    }

    /// <summary>Adds the exclusion's selectors and Vigil's key to <paramref name="rule"/>.</summary>
    private static AuditRule Select(AuditRule rule, AuditExclusion exclusion, string? exe)
    {
        if (exe is not null)
        {
            rule.Fields.Add(AuditRuleField.String(AuditField.Exe, AuditOperator.Equal, exe));
        }

        if (exclusion.Uid is { } uid)
        {
            rule.Fields.Add(AuditRuleField.Number(AuditField.Uid, AuditOperator.Equal, uid));
        }

        if (exclusion.Auid is { } auid)
        {
            // The kernel rejects -1 as a login uid value; "never logged in" is asked as loginuid_set=0, as auditctl does.
            rule.Fields.Add(auid == uint.MaxValue
                ? AuditRuleField.Number(AuditField.LoginUidSet, AuditOperator.Equal, 0)
                : AuditRuleField.Number(AuditField.LoginUid, AuditOperator.Equal, auid));
        }

        return rule.WithKey(AuditRule.VigilKey);
    }
}
