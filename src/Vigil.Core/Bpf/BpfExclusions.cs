using Vigil.Kernel;
using Vigil.Platform;
using Vigil.Rules;

namespace Vigil.Bpf;

/// <summary>
/// Turns <c>audit.exclude</c> entries into the BPF exclusion map: the executable by its device and inode, as the
/// kernel's audit exe field matches it (so a wildcard is expanded and a link resolved now, as for the audit rules),
/// the uid and auid as they are, the syscalls as the kinds of event they stand for.
/// </summary>
public static class BpfExclusions
{
    /// <summary>The map entries for <paramref name="exclusions"/>; entries with the same selectors share one key.</summary>
    public static IReadOnlyList<(BpfExclusionKey Key, uint Kinds)> Build(IReadOnlyList<AuditExclusion> exclusions)
    {
        var merged = new Dictionary<BpfExclusionKey, uint>();
        foreach (var exclusion in exclusions)
        {
            var kinds = Kinds(exclusion.Syscalls);
            if (kinds == 0)
            {
                continue;
            }

            var selectors = (exclusion.Exe is null ? 0 : BpfExclusionKey.SelectExe)
                | (exclusion.Uid is null ? 0 : BpfExclusionKey.SelectUid)
                | (exclusion.Auid is null ? 0 : BpfExclusionKey.SelectAuid);
            var template = new BpfExclusionKey(0, 0, exclusion.Uid ?? 0, exclusion.Auid ?? 0, selectors);
            if (exclusion.Exe is null)
            {
                Add(merged, template, kinds);
                continue;
            }

            foreach (var exe in AuditExclusionRules.ExpandExe(exclusion.Exe))
            {
                if (TryGetFileId(exe, out var dev, out var ino))
                {
                    Add(merged, template with { Dev = dev, Ino = ino }, kinds);
                }
            }
        }

        var entries = new List<(BpfExclusionKey, uint)>(merged.Count);
        foreach (var (key, kinds) in merged)
        {
            entries.Add((key, kinds));
        }

        return entries;
    }

    /// <summary>The kinds of event that syscall names stand for; none given means every kind.</summary>
    public static uint Kinds(IReadOnlyList<string> syscalls)
    {
        if (syscalls.Count == 0)
        {
            return uint.MaxValue & ~1u;
        }

        var kinds = 0u;
        foreach (var name in syscalls)
        {
            kinds |= name switch
            {
                "execve" => BpfLoadOptions.Bit(BpfEventKind.Execve),
                "execveat" => BpfLoadOptions.Bit(BpfEventKind.Execveat),
                "exit" or "exit_group" => BpfLoadOptions.Bit(BpfEventKind.Exit),
                "connect" => BpfLoadOptions.Bit(BpfEventKind.Connect),
                "bind" => BpfLoadOptions.Bit(BpfEventKind.Bind),
                "listen" => BpfLoadOptions.Bit(BpfEventKind.Listen),
                "accept" => BpfLoadOptions.Bit(BpfEventKind.Accept),
                "accept4" => BpfLoadOptions.Bit(BpfEventKind.Accept4),
                _ when KernelAuditOptions.IsFileCall(name) => BpfLoadOptions.Bit(BpfEventKind.File),
                _ => 0,
            };
        }

        return kinds;
    }

    /// <summary>A file's device as the kernel keeps it in <c>s_dev</c> (major &lt;&lt; 20 | minor) and its inode.</summary>
    public static bool TryGetFileId(string path, out uint dev, out ulong ino)
    {
        if (!Libc.TryStat(path, out var result))
        {
            (dev, ino) = (0, 0);
            return false;
        }

        dev = (result.stx_dev_major << 20) | result.stx_dev_minor;
        ino = result.stx_ino;
        return true;
    }

    private static void Add(Dictionary<BpfExclusionKey, uint> merged, BpfExclusionKey key, uint kinds) =>
        merged[key] = merged.GetValueOrDefault(key) | kinds;
}
