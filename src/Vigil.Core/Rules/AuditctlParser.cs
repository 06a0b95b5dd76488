using System.Globalization;
using System.Text;
using Vigil.KernelAbi;

namespace Vigil.Rules;

/// <summary>
/// Parses auditctl rule lines (as in audit.rules) into the <see cref="AuditRule"/> auditctl would send, refusing
/// what auditctl refuses before it reaches the kernel, with auditctl's reason.
/// </summary>
public sealed class AuditctlParser(AccountNames accounts)
{
    /// <summary>AUDIT_MAX_KEY_LEN: the bytes all keys of one rule may take together.</summary>
    public const int MaxKeyLength = 256;

    private static readonly Dictionary<string, AuditField> FieldsByName = new(StringComparer.Ordinal)
    {
        ["pid"] = AuditField.Pid, ["uid"] = AuditField.Uid, ["euid"] = AuditField.Euid, ["suid"] = AuditField.Suid,
        ["fsuid"] = AuditField.Fsuid, ["gid"] = AuditField.Gid, ["egid"] = AuditField.Egid,
        ["sgid"] = AuditField.Sgid, ["fsgid"] = AuditField.Fsgid, ["auid"] = AuditField.LoginUid,
        ["loginuid"] = AuditField.LoginUid, ["pers"] = AuditField.Personality, ["arch"] = AuditField.Arch,
        ["msgtype"] = AuditField.MessageType, ["subj_user"] = AuditField.SubjUser,
        ["subj_role"] = AuditField.SubjRole, ["subj_type"] = AuditField.SubjType,
        ["subj_sen"] = AuditField.SubjSen, ["subj_clr"] = AuditField.SubjClr, ["ppid"] = AuditField.Ppid,
        ["obj_user"] = AuditField.ObjUser, ["obj_role"] = AuditField.ObjRole, ["obj_type"] = AuditField.ObjType,
        ["obj_lev_low"] = AuditField.ObjLevLow, ["obj_lev_high"] = AuditField.ObjLevHigh,
        ["loginuid_set"] = AuditField.LoginUidSet, ["sessionid"] = AuditField.SessionId,
        ["fstype"] = AuditField.FsType, ["devmajor"] = AuditField.DevMajor, ["devminor"] = AuditField.DevMinor,
        ["inode"] = AuditField.Inode, ["exit"] = AuditField.Exit, ["success"] = AuditField.Success,
        ["path"] = AuditField.Watch, ["perm"] = AuditField.Perm, ["dir"] = AuditField.Dir,
        ["filetype"] = AuditField.FileType, ["obj_uid"] = AuditField.ObjUid, ["obj_gid"] = AuditField.ObjGid,
        ["exe"] = AuditField.Exe, ["saddr_fam"] = AuditField.SaddrFam, ["a0"] = AuditField.Arg0,
        ["a1"] = AuditField.Arg1, ["a2"] = AuditField.Arg2, ["a3"] = AuditField.Arg3,
    };

    // S_IF* (include/uapi/linux/stat.h) by the names auditctl takes for filetype.
    private static readonly Dictionary<string, uint> FileTypes = new(StringComparer.Ordinal)
    {
        ["socket"] = 0xC000, ["link"] = 0xA000, ["symlink"] = 0xA000, ["file"] = 0x8000, ["block"] = 0x6000,
        ["dir"] = 0x4000, ["character"] = 0x2000, ["fifo"] = 0x1000,
    };

    /// <summary>A parser resolving names against this machine's /etc/passwd and /etc/group.</summary>
    public static AuditctlParser ForSystem() => new(AccountNames.FromSystem());

    /// <summary>
    /// Parses one non-blank, non-comment line. <paramref name="lineNumber"/> only labels errors.
    /// </summary>
    /// <exception cref="AuditctlSyntaxException">auditctl would refuse the line.</exception>
    public AuditctlCommand Parse(string line, int lineNumber = 1)
    {
        var text = line.Trim();
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            throw new AuditctlSyntaxException(lineNumber, text, "empty rule");
        }

        return new LineParser(this, words, lineNumber, text).Parse();
    }

    /// <summary>
    /// Parses a rules file: one command per line, blank lines and <c>#</c> comments skipped. Lines that fail are
    /// collected in <paramref name="errors"/> and left out of the result.
    /// </summary>
    public List<AuditctlCommand> ParseFile(string contents, List<AuditctlSyntaxException> errors)
    {
        var commands = new List<AuditctlCommand>();
        var lines = contents.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            try
            {
                commands.Add(Parse(line, i + 1));
            }
            catch (AuditctlSyntaxException error)
            {
                errors.Add(error);
            }
        }

        return commands;
    }

    private sealed class LineParser(AuditctlParser owner, string[] words, int lineNumber, string text)
    {
        private readonly List<string> _keys = [];
        private AuditRule? _rule;
        private AuditctlCommandKind _kind;
        private bool _isWatch;
        private bool _hasSyscalls;
        private bool _hasArch;
        private int _position;

        public AuditctlCommand Parse()
        {
            var first = Next();
            switch (first)
            {
                case "-a" or "-A" or "-d":
                    StartRule(first, Value(first));
                    break;
                case "-w" or "-W":
                    StartWatch(first == "-w", Value(first));
                    break;
                case "-D":
                    return DeleteAll();
                case "-b":
                    return Setting(AuditctlCommandKind.SetBacklogLimit, first, uint.MaxValue);
                case "--backlog_wait_time":
                    return Setting(AuditctlCommandKind.SetBacklogWaitTime, first, 10 * 60 * 1000 * 100);
                case "-e":
                    return Setting(AuditctlCommandKind.SetEnabled, first, 2);
                case "-f":
                    return Setting(AuditctlCommandKind.SetFailure, first, 2);
                case "-r":
                    return Setting(AuditctlCommandKind.SetRateLimit, first, uint.MaxValue);
                case "-i":
                    return Flag(AuditctlCommandKind.IgnoreErrors);
                case "-c":
                    return Flag(AuditctlCommandKind.ContinueOnError);
                case "--loginuid-immutable":
                    return Flag(AuditctlCommandKind.LoginUidImmutable);
                default:
                    throw Fail($"unknown option '{first}'");
            }

            while (_position < words.Length)
            {
                var option = Next();
                switch (option)
                {
                    case "-S" when !_isWatch:
                        AddSyscalls(Value(option));
                        break;
                    case "-F" when !_isWatch:
                        AddField(Value(option));
                        break;
                    case "-C" when !_isWatch:
                        AddComparison(Value(option));
                        break;
                    case "-p" when _isWatch:
                        SetPerm(Value(option));
                        break;
                    case "-k":
                        AddKey(Value(option));
                        break;
                    default:
                        throw Fail(_isWatch && option is "-S" or "-F" or "-C"
                            ? $"{option} cannot be used with a watch (-w/-W)"
                            : $"unknown option '{option}'");
                }
            }

            return FinishRule();
        }

        private string Next() => words[_position++];

        private string Value(string option) =>
            _position < words.Length ? Next() : throw Fail($"option {option} requires an argument");

        private AuditctlSyntaxException Fail(string reason) => new(lineNumber, text, reason);

        private AuditctlCommand Flag(AuditctlCommandKind kind)
        {
            EnsureEnd();
            return new AuditctlCommand(kind, null, 0, null, lineNumber, text);
        }

        private AuditctlCommand Setting(AuditctlCommandKind kind, string option, uint max)
        {
            var word = Value(option);
            if (!uint.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
            {
                throw Fail($"{option} value '{word}' must be a number from 0 to {max}");
            }

            EnsureEnd();
            return new AuditctlCommand(kind, null, value, null, lineNumber, text);
        }

        private AuditctlCommand DeleteAll()
        {
            string? key = null;
            if (_position < words.Length && words[_position] == "-k")
            {
                _position++;
                key = Value("-k");
            }

            EnsureEnd();
            return new AuditctlCommand(AuditctlCommandKind.DeleteAll, null, 0, key, lineNumber, text);
        }

        private void EnsureEnd()
        {
            if (_position < words.Length)
            {
                throw Fail($"unexpected '{words[_position]}'");
            }
        }

        private void StartRule(string option, string listAndAction)
        {
            var parts = listAndAction.Split(',');
            AuditFilterList? list = null;
            AuditRuleAction? action = null;
            foreach (var part in parts)
            {
                if (TryList(part, out var l) && list is null)
                {
                    list = l;
                }
                else if (TryAction(part, out var a) && action is null)
                {
                    action = a;
                }
                else
                {
                    throw Fail($"{(option == "-d" ? "Delete" : option == "-A" ? "Prepend" : "Append")} rule - bad keyword {part}");
                }
            }

            if (parts.Length != 2 || list is null || action is null)
            {
                throw Fail($"{(option == "-d" ? "Delete" : option == "-A" ? "Prepend" : "Append")} rule - bad keyword {listAndAction}");
            }

            _kind = option == "-d" ? AuditctlCommandKind.DeleteRule : AuditctlCommandKind.AddRule;
            _rule = new AuditRule { List = list.Value, Action = action.Value, Prepend = option == "-A" };
        }

        private static bool TryList(string word, out AuditFilterList list)
        {
            list = word switch
            {
                "exit" => AuditFilterList.Exit,
                "task" => AuditFilterList.Task,
                "user" => AuditFilterList.User,
                "exclude" => AuditFilterList.Exclude,
                "filesystem" => AuditFilterList.Filesystem,
                "io_uring" => AuditFilterList.UringExit,
                _ => (AuditFilterList)uint.MaxValue,
            };
            return list != (AuditFilterList)uint.MaxValue;
        }

        private static bool TryAction(string word, out AuditRuleAction action)
        {
            action = word switch
            {
                "always" => AuditRuleAction.Always,
                "never" => AuditRuleAction.Never,
                _ => (AuditRuleAction)uint.MaxValue,
            };
            return action != (AuditRuleAction)uint.MaxValue;
        }

        // auditctl trims trailing slashes, sends AUDIT_DIR when the path is a directory now and AUDIT_WATCH
        // otherwise, with every permission until -p narrows it.
        private void StartWatch(bool add, string path)
        {
            if (path.Length == 0 || path[0] != '/')
            {
                throw Fail($"The path must start with '/': {path}");
            }

            if (path.Length > 2)
            {
                path = path.TrimEnd('/');
                if (path.Length == 0)
                {
                    path = "/";
                }
            }

            if (path.Contains("..", StringComparison.Ordinal) || path.Length >= 4096)
            {
                throw Fail($"bad watch path {path}");
            }

            _isWatch = true;
            _kind = add ? AuditctlCommandKind.AddRule : AuditctlCommandKind.DeleteRule;
            _rule = new AuditRule { List = AuditFilterList.Exit, Action = AuditRuleAction.Always }.AddAllSyscalls();
            var field = Directory.Exists(path) ? AuditField.Dir : AuditField.Watch;
            _rule.Fields.Add(AuditRuleField.String(field, AuditOperator.Equal, path));
            _rule.Fields.Add(AuditRuleField.Number(AuditField.Perm, AuditOperator.Equal, (uint)(AuditPermission.Read | AuditPermission.Write | AuditPermission.Exec | AuditPermission.Attr)));
        }

        private void SetPerm(string letters)
        {
            var perm = ParsePerm(letters);
            var fields = _rule!.Fields;
            var index = fields.FindIndex(f => f.Field == AuditField.Perm);
            fields[index] = AuditRuleField.Number(AuditField.Perm, AuditOperator.Equal, perm);
        }

        private uint ParsePerm(string letters)
        {
            var perm = AuditPermission.None;
            foreach (var letter in letters)
            {
                perm |= letter switch
                {
                    'r' => AuditPermission.Read,
                    'w' => AuditPermission.Write,
                    'x' => AuditPermission.Exec,
                    'a' => AuditPermission.Attr,
                    _ => throw Fail($"Permission {letters} isn't supported"),
                };
            }

            if (letters.Length == 0 || letters.Length > 4)
            {
                throw Fail($"Permission {letters} isn't supported");
            }

            return (uint)perm;
        }

        private void AddKey(string key)
        {
            _keys.Add(key);
            var length = _keys.Count - 1;
            foreach (var k in _keys)
            {
                length += Encoding.UTF8.GetByteCount(k);
            }

            if (length > MaxKeyLength)
            {
                throw Fail($"key option exceeds size limit of {MaxKeyLength}");
            }
        }

        private void AddSyscalls(string names)
        {
            var rule = _rule!;
            if (rule.List is not (AuditFilterList.Exit or AuditFilterList.UringExit))
            {
                throw Fail($"Error: syscall auditing being added to {ListWord(rule.List)} list");
            }

            if (rule.List == AuditFilterList.UringExit)
            {
                throw Fail("io_uring operation names are not supported");
            }

            var arch = ArchOfRule();
            foreach (var name in names.Split(','))
            {
                if (name == "all")
                {
                    rule.AddAllSyscalls();
                }
                else if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    if (number >= AuditRule.BitmaskSize * 32)
                    {
                        throw Fail($"Syscall number out of range: {name}");
                    }

                    rule.AddSyscall(number);
                }
                else if (SyscallTable.TryGetNumber(arch, name, out number))
                {
                    rule.AddSyscall(number);
                }
                else
                {
                    throw Fail($"Syscall name unknown: {name}");
                }
            }

            _hasSyscalls = true;
        }

        private uint ArchOfRule()
        {
            foreach (var field in _rule!.Fields)
            {
                if (field.Field == AuditField.Arch)
                {
                    return field.Value;
                }
            }

            return SyscallTable.ArchX86_64;
        }

        private void AddComparison(string pair)
        {
            var (left, op, right) = SplitOperator(pair);
            if (op is not (AuditOperator.Equal or AuditOperator.NotEqual))
            {
                throw Fail("-C only takes = or != operators");
            }

            if (_rule!.List != AuditFilterList.Exit)
            {
                throw Fail("-C can only be used with the exit filter list");
            }

            // Either order names the same comparison.
            for (var i = 1; i < AuditFieldComparison.Operands.Length; i++)
            {
                var names = AuditFieldComparison.Operands[i];
                if ((names[0] == Alias(left) && names[1] == Alias(right)) || (names[0] == Alias(right) && names[1] == Alias(left)))
                {
                    AddRuleField(AuditRuleField.Number(AuditField.FieldCompare, op, (uint)i));
                    return;
                }
            }

            throw Fail($"-C unsupported field comparison: {pair}");
        }

        private static string Alias(string name) => name == "loginuid" ? "auid" : name;

        private (string Name, AuditOperator Op, string Value) SplitOperator(string pair)
        {
            ReadOnlySpan<(string Text, AuditOperator Op)> operators =
            [
                ("!=", AuditOperator.NotEqual), (">=", AuditOperator.GreaterThanOrEqual),
                ("<=", AuditOperator.LessThanOrEqual), ("&=", AuditOperator.BitTest), ("=", AuditOperator.Equal),
                (">", AuditOperator.GreaterThan), ("<", AuditOperator.LessThan), ("&", AuditOperator.BitMask),
            ];
            foreach (var (opText, op) in operators)
            {
                var at = pair.IndexOf(opText, StringComparison.Ordinal);
                if (at > 0)
                {
                    return (pair[..at], op, pair[(at + opText.Length)..]);
                }
            }

            throw Fail($"-F missing operation for {pair}");
        }

        private void AddField(string pair)
        {
            var (name, op, value) = SplitOperator(pair);
            if (name == "key")
            {
                if (op != AuditOperator.Equal)
                {
                    throw Fail("key only takes the = operator");
                }

                AddKey(value);
                return;
            }

            if (!FieldsByName.TryGetValue(name, out var field))
            {
                throw Fail($"-F unknown field: {name}");
            }

            var rule = _rule!;
            if (value.Length == 0)
            {
                throw Fail($"-F {name} has no value");
            }

            if (rule.List == AuditFilterList.Exclude && !AllowedOnExclude(field))
            {
                throw Fail("Only msgtype, *uid, *gid, pid, and subj* fields can be used with exclude filter");
            }

            AddRuleField(FieldValue(field, name, op, value));
        }

        private static bool AllowedOnExclude(AuditField field) => field is AuditField.MessageType or AuditField.Pid
            or AuditField.Uid or AuditField.Euid or AuditField.Suid or AuditField.Fsuid or AuditField.LoginUid
            or AuditField.ObjUid or AuditField.Gid or AuditField.Egid or AuditField.Sgid or AuditField.Fsgid
            or AuditField.ObjGid or (>= AuditField.SubjUser and <= AuditField.SubjClr);

        private AuditRuleField FieldValue(AuditField field, string name, AuditOperator op, string value)
        {
            var list = _rule!.List;
            switch (field)
            {
                case AuditField.Uid or AuditField.Euid or AuditField.Suid or AuditField.Fsuid or AuditField.LoginUid
                    or AuditField.ObjUid:
                    return AuditRuleField.Number(field, op, AccountId(value, isUser: true));
                case AuditField.Gid or AuditField.Egid or AuditField.Sgid or AuditField.Fsgid or AuditField.ObjGid:
                    return AuditRuleField.Number(field, op, AccountId(value, isUser: false));
                case AuditField.Exit:
                    RequireList(list == AuditFilterList.Exit, "exit can only be used with exit filter list");
                    return AuditRuleField.Number(field, op, ExitValue(value));
                case AuditField.MessageType:
                    RequireList(list is AuditFilterList.Exclude or AuditFilterList.User, "msgtype field can only be used with exclude or user filter list");
                    return AuditRuleField.Number(field, op, MessageType(value));
                case AuditField.Arch:
                    return AuditRuleField.Number(field, op, Arch(op, value));
                case AuditField.Perm:
                    RequireList(list == AuditFilterList.Exit, "perm only allowed with exit filter list");
                    RequireEquality(op, name, allowNotEqual: false);
                    return AuditRuleField.Number(field, op, ParsePerm(value));
                case AuditField.FileType:
                    RequireList(list is AuditFilterList.Exit or AuditFilterList.Filesystem, "filetype only allowed with exit or filesystem filter list");
                    return AuditRuleField.Number(field, op, FileTypes.TryGetValue(value, out var type) ? type : Number(name, value));
                case AuditField.FsType:
                    RequireList(list == AuditFilterList.Filesystem, "fstype only allowed with filesystem filter list");
                    return AuditRuleField.Number(field, op, value switch
                    {
                        "debugfs" => AuditRule.DebugFsMagic,
                        "tracefs" => AuditRule.TraceFsMagic,
                        _ => Number(name, value),
                    });
                case AuditField.Watch or AuditField.Dir or AuditField.Exe:
                    RequireList(list == AuditFilterList.Exit, $"{name} only allowed with exit filter list");
                    RequireEquality(op, name, allowNotEqual: field == AuditField.Exe);
                    return AuditRuleField.String(field, op, value);
                case >= AuditField.SubjUser and <= AuditField.SubjClr or >= AuditField.ObjUser and <= AuditField.ObjLevHigh:
                    RequireEquality(op, name, allowNotEqual: true);
                    return AuditRuleField.String(field, op, value);
                case AuditField.Inode or AuditField.DevMajor or AuditField.DevMinor or AuditField.Success
                    or AuditField.Ppid or AuditField.SaddrFam:
                    RequireList(list is not (AuditFilterList.Task or AuditFilterList.Exclude or AuditFilterList.User) || field == AuditField.Ppid || field == AuditField.Success,
                        $"{name} is not valid for this filter list");
                    return AuditRuleField.Number(field, op, Number(name, value));
                case AuditField.SessionId:
                    return AuditRuleField.Number(field, op, value == "unset" ? uint.MaxValue : Number(name, value));
                default:
                    return AuditRuleField.Number(field, op, Number(name, value));
            }
        }

        private void RequireList(bool allowed, string reason)
        {
            if (!allowed)
            {
                throw Fail(reason);
            }
        }

        private void RequireEquality(AuditOperator op, string name, bool allowNotEqual)
        {
            if (op != AuditOperator.Equal && !(allowNotEqual && op == AuditOperator.NotEqual))
            {
                throw Fail(allowNotEqual ? $"{name} only takes = or != operators" : $"{name} only takes = operator");
            }
        }

        private uint Arch(AuditOperator op, string value)
        {
            RequireEquality(op, "arch", allowNotEqual: true);
            if (_hasSyscalls)
            {
                throw Fail("arch must be before -S");
            }

            if (_hasArch)
            {
                throw Fail("arch given more than once");
            }

            _hasArch = true;
            return value switch
            {
                "b64" or "x86_64" => SyscallTable.ArchX86_64,
                "b32" or "i386" or "i486" or "i586" or "i686" => SyscallTable.ArchI386,
                _ when TryNumber(value, out var number) => number,
                _ => throw Fail($"-F arch unknown: {value}"),
            };
        }

        private uint AccountId(string value, bool isUser)
        {
            if (TryNumber(value, out var number))
            {
                return number;
            }

            if (value == "unset")
            {
                return uint.MaxValue;
            }

            if (isUser ? owner.TryGetUid(value, out number) : owner.TryGetGid(value, out number))
            {
                return number;
            }

            throw Fail(isUser ? $"Unknown user: {value}" : $"Unknown group: {value}");
        }

        private uint ExitValue(string value)
        {
            if (TryNumber(value, out var number))
            {
                return number;
            }

            var negative = value[0] == '-';
            if (ErrnoNames.TryGetNumber(negative ? value[1..] : value, out var errno))
            {
                return unchecked((uint)(negative ? -errno : errno));
            }

            throw Fail($"-F unknown errno - {value}");
        }

        private uint MessageType(string value)
        {
            if (TryNumber(value, out var number))
            {
                return number;
            }

            if (RecordType.TryGetNumber(Encoding.ASCII.GetBytes(value), out var type) && !value.StartsWith("UNKNOWN[", StringComparison.Ordinal))
            {
                return (uint)type;
            }

            throw Fail($"-F unknown message type - {value}");
        }

        private uint Number(string name, string value) =>
            TryNumber(value, out var number) ? number : throw Fail($"-F value should be number for {name}");

        // strtoul/strtol with base 0, as auditctl reads numbers: 0x hex, leading 0 octal, a leading - wraps.
        private static bool TryNumber(string value, out uint number)
        {
            number = 0;
            var negative = value.StartsWith('-');
            var digits = negative ? value.AsSpan(1) : value.AsSpan();
            if (digits.IsEmpty || !char.IsAsciiDigit(digits[0]))
            {
                return false;
            }

            ulong parsed;
            if (digits.Length > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
            {
                if (!ulong.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out parsed))
                {
                    return false;
                }
            }
            else if (digits.Length > 1 && digits[0] == '0')
            {
                parsed = 0;
                foreach (var c in digits[1..])
                {
                    if (c is < '0' or > '7')
                    {
                        return false;
                    }

                    parsed = (parsed * 8) + (ulong)(c - '0');
                    if (parsed > uint.MaxValue)
                    {
                        return false;
                    }
                }
            }
            else if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out parsed))
            {
                return false;
            }

            if (parsed > uint.MaxValue || (negative && parsed > int.MaxValue + 1UL))
            {
                return false;
            }

            number = negative ? unchecked((uint)-(long)parsed) : (uint)parsed;
            return true;
        }

        private void AddRuleField(AuditRuleField field)
        {
            if (_rule!.Fields.Count >= AuditRule.MaxFields - 1)
            {
                throw Fail($"too many fields, a rule takes at most {AuditRule.MaxFields}");
            }

            _rule.Fields.Add(field);
        }

        // Rules without -S cover every syscall, as auditctl sends them, except on the task list, which has no
        // syscall; keys go last, joined into one field.
        private AuditctlCommand FinishRule()
        {
            var rule = _rule!;
            if (!_hasSyscalls && !_isWatch && rule.List != AuditFilterList.Task)
            {
                rule.AddAllSyscalls();
            }

            if (_keys.Count > 0)
            {
                rule.Fields.Add(AuditRuleField.String(AuditField.FilterKey, AuditOperator.Equal, string.Join(AuditRule.KeySeparator, _keys)));
            }

            if (rule.Fields.Count == 0 && rule.List == AuditFilterList.Exit && !_hasSyscalls)
            {
                throw Fail("rule needs at least one field or syscall");
            }

            return new AuditctlCommand(_kind, rule, 0, null, lineNumber, text);
        }

        private static string ListWord(AuditFilterList list) => list switch
        {
            AuditFilterList.Task => "task",
            AuditFilterList.User => "user",
            AuditFilterList.Exclude => "exclude",
            AuditFilterList.Filesystem => "filesystem",
            _ => list.ToString(),
        };
    }

    private bool TryGetUid(string name, out uint uid) => accounts.TryGetUid(name, out uid);

    private bool TryGetGid(string name, out uint gid) => accounts.TryGetGid(name, out gid);
}
