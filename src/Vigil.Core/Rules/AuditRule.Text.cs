using System.Globalization;
using System.Text;
using Vigil.KernelAbi;

namespace Vigil.Rules;

/// <summary>The <c>auditctl -l</c> rendering of a rule.</summary>
public sealed partial class AuditRule
{
    private static readonly Dictionary<AuditField, string> FieldNames = new()
    {
        [AuditField.Pid] = "pid", [AuditField.Uid] = "uid", [AuditField.Euid] = "euid", [AuditField.Suid] = "suid",
        [AuditField.Fsuid] = "fsuid", [AuditField.Gid] = "gid", [AuditField.Egid] = "egid", [AuditField.Sgid] = "sgid",
        [AuditField.Fsgid] = "fsgid", [AuditField.LoginUid] = "auid", [AuditField.Personality] = "pers",
        [AuditField.Arch] = "arch", [AuditField.MessageType] = "msgtype", [AuditField.SubjUser] = "subj_user",
        [AuditField.SubjRole] = "subj_role", [AuditField.SubjType] = "subj_type", [AuditField.SubjSen] = "subj_sen",
        [AuditField.SubjClr] = "subj_clr", [AuditField.Ppid] = "ppid", [AuditField.ObjUser] = "obj_user",
        [AuditField.ObjRole] = "obj_role", [AuditField.ObjType] = "obj_type", [AuditField.ObjLevLow] = "obj_lev_low",
        [AuditField.ObjLevHigh] = "obj_lev_high", [AuditField.LoginUidSet] = "loginuid_set",
        [AuditField.SessionId] = "sessionid", [AuditField.FsType] = "fstype", [AuditField.DevMajor] = "devmajor",
        [AuditField.DevMinor] = "devminor", [AuditField.Inode] = "inode", [AuditField.Exit] = "exit",
        [AuditField.Success] = "success", [AuditField.Watch] = "path", [AuditField.Perm] = "perm",
        [AuditField.Dir] = "dir", [AuditField.FileType] = "filetype", [AuditField.ObjUid] = "obj_uid",
        [AuditField.ObjGid] = "obj_gid", [AuditField.Exe] = "exe", [AuditField.SaddrFam] = "saddr_fam",
        [AuditField.Arg0] = "a0", [AuditField.Arg1] = "a1", [AuditField.Arg2] = "a2", [AuditField.Arg3] = "a3",
        [AuditField.FilterKey] = "key",
    };

    /// <summary>AUDIT_KEY_SEPARATOR: auditctl joins the keys of one rule with it in a single key field.</summary>
    public const string KeySeparator = "\x01";

    // DEBUGFS_MAGIC and TRACEFS_MAGIC (include/uapi/linux/magic.h), the fstype names auditctl knows.
    internal const uint DebugFsMagic = 0x64626720;
    internal const uint TraceFsMagic = 0x74726163;

    /// <summary>
    /// The rule as <c>auditctl -l</c> prints it: <c>-w path -p perms [-k key]</c> for watches, otherwise
    /// <c>-a action,list [-F arch=…] [-S …] -F …</c> with the arch first and the other fields in kernel order.
    /// </summary>
    public string ToAuditctlText()
    {
        var text = new StringBuilder();
        if (TryAppendWatch(text))
        {
            return text.ToString();
        }

        text.Append("-a ").Append(ActionName(Action)).Append(',').Append(ListName(List));
        var arch = SyscallTable.ArchX86_64;
        var archIndex = Fields.FindIndex(f => f.Field == AuditField.Arch);
        if (archIndex >= 0)
        {
            arch = Fields[archIndex].Value;
            AppendField(text, Fields[archIndex]);
        }

        if (List is AuditFilterList.Exit or AuditFilterList.Entry or AuditFilterList.UringExit)
        {
            AppendSyscalls(text, arch);
        }

        for (var i = 0; i < Fields.Count; i++)
        {
            if (i != archIndex)
            {
                AppendField(text, Fields[i]);
            }
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => ToAuditctlText();

    // auditctl shows an always,exit rule over all syscalls, without arch, whose fields are only a path or
    // dir, a perm and keys, as the -w watch it came from, printing each field where it stands in the rule
    // (a perm before the path comes out before "-w").
    private bool TryAppendWatch(StringBuilder text)
    {
        if (List != AuditFilterList.Exit || Action != AuditRuleAction.Always || !AllSyscalls)
        {
            return false;
        }

        var paths = 0;
        foreach (var field in Fields)
        {
            switch (field.Field)
            {
                case AuditField.Watch or AuditField.Dir when field.Operator == AuditOperator.Equal:
                    paths++;
                    break;
                case AuditField.Perm or AuditField.FilterKey when field.Operator == AuditOperator.Equal:
                    break;
                default:
                    return false;
            }
        }

        if (paths != 1)
        {
            return false;
        }

        foreach (var field in Fields)
        {
            switch (field.Field)
            {
                case AuditField.Watch or AuditField.Dir:
                    text.Append("-w ").Append(field.Text);
                    break;
                case AuditField.Perm:
                    text.Append(" -p ").Append(PermLetters(field.Value));
                    break;
                default:
                    foreach (var key in (field.Text ?? string.Empty).Split(KeySeparator))
                    {
                        text.Append(" -k ").Append(key);
                    }

                    break;
            }
        }

        return true;
    }

    private void AppendSyscalls(StringBuilder text, uint arch)
    {
        if (AllSyscalls)
        {
            text.Append(" -S all");
            return;
        }

        var first = true;
        for (var number = 0; number < BitmaskSize * 32; number++)
        {
            if (!HasSyscall(number))
            {
                continue;
            }

            text.Append(first ? " -S " : ",");
            text.Append(SyscallTable.GetName(arch, number) ?? number.ToString(CultureInfo.InvariantCulture));
            first = false;
        }
    }

    private static void AppendField(StringBuilder text, AuditRuleField field)
    {
        if (field.Field == AuditField.FieldCompare && field.Value < (uint)AuditFieldComparison.Operands.Length && field.Value > 0)
        {
            var names = AuditFieldComparison.Operands[field.Value];
            text.Append(" -C ").Append(names[0]).Append(OperatorText(field.Operator)).Append(names[1]);
            return;
        }

        if (field.Field == AuditField.FilterKey && field.Text is { } keys && keys.Contains(KeySeparator, StringComparison.Ordinal))
        {
            foreach (var key in keys.Split(KeySeparator))
            {
                text.Append(" -F key=").Append(key);
            }

            return;
        }

        text.Append(" -F ");
        text.Append(FieldNames.TryGetValue(field.Field, out var name) ? name : ((uint)field.Field).ToString(CultureInfo.InvariantCulture));
        text.Append(OperatorText(field.Operator));
        text.Append(ValueText(field));
    }

    private static string ValueText(AuditRuleField field)
    {
        if (field.Text is not null)
        {
            return field.Text;
        }

        var value = field.Value;
        switch (field.Field)
        {
            case AuditField.Arch:
                return value switch
                {
                    SyscallTable.ArchX86_64 => "b64",
                    SyscallTable.ArchI386 => "b32",
                    _ => "0x" + value.ToString("x", CultureInfo.InvariantCulture),
                };
            case AuditField.Uid or AuditField.Euid or AuditField.Suid or AuditField.Fsuid or AuditField.Gid
                or AuditField.Egid or AuditField.Sgid or AuditField.Fsgid or AuditField.LoginUid
                or AuditField.ObjUid or AuditField.ObjGid:
                return ((int)value).ToString(CultureInfo.InvariantCulture);
            case AuditField.Exit:
                var exit = (int)value;
                return exit < 0 && ErrnoNames.GetName(-exit) is { } errno
                    ? "-" + errno
                    : exit.ToString(CultureInfo.InvariantCulture);
            case AuditField.MessageType:
                return value <= int.MaxValue && RecordType.GetName((int)value) is var recordName && !recordName.StartsWith("UNKNOWN[", StringComparison.Ordinal) ? recordName
                    : value.ToString(CultureInfo.InvariantCulture);
            case AuditField.FsType:
                return value switch
                {
                    DebugFsMagic => "debugfs",
                    TraceFsMagic => "tracefs",
                    _ => value.ToString(CultureInfo.InvariantCulture),
                };
            case AuditField.Perm:
                return PermLetters(value);
            case AuditField.Arg0 or AuditField.Arg1 or AuditField.Arg2 or AuditField.Arg3:
                return "0x" + value.ToString("X", CultureInfo.InvariantCulture);
            default:
                return value.ToString(CultureInfo.InvariantCulture);
        }
    }

    // auditctl shows the permissions in the order r w x a.
    private static string PermLetters(uint value)
    {
        var perm = (AuditPermission)value;
        var letters = new StringBuilder(4);
        if ((perm & AuditPermission.Read) != 0)
        {
            letters.Append('r');
        }

        if ((perm & AuditPermission.Write) != 0)
        {
            letters.Append('w');
        }

        if ((perm & AuditPermission.Exec) != 0)
        {
            letters.Append('x');
        }

        if ((perm & AuditPermission.Attr) != 0)
        {
            letters.Append('a');
        }

        return letters.ToString();
    }

    private static string OperatorText(AuditOperator op) => op switch
    {
        AuditOperator.Equal => "=",
        AuditOperator.NotEqual => "!=",
        AuditOperator.LessThan => "<",
        AuditOperator.GreaterThan => ">",
        AuditOperator.LessThanOrEqual => "<=",
        AuditOperator.GreaterThanOrEqual => ">=",
        AuditOperator.BitMask => "&",
        AuditOperator.BitTest => "&=",
        _ => $"?0x{(uint)op:x}?",
    };

    private static string ActionName(AuditRuleAction action) => action switch
    {
        AuditRuleAction.Never => "never",
        AuditRuleAction.Possible => "possible",
        AuditRuleAction.Always => "always",
        _ => ((uint)action).ToString(CultureInfo.InvariantCulture),
    };

    private static string ListName(AuditFilterList list) => list switch
    {
        AuditFilterList.User => "user",
        AuditFilterList.Task => "task",
        AuditFilterList.Entry => "entry",
        AuditFilterList.Watch => "watch",
        AuditFilterList.Exit => "exit",
        AuditFilterList.Exclude => "exclude",
        AuditFilterList.Filesystem => "filesystem",
        AuditFilterList.UringExit => "io_uring",
        _ => ((uint)list).ToString(CultureInfo.InvariantCulture),
    };
}
