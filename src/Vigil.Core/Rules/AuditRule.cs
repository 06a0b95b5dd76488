using System.Buffers.Binary;
using System.Text;
using Vigil.KernelAbi;
using Vigil.Netlink;

namespace Vigil.Rules;

/// <summary>
/// An audit rule as the kernel stores it: a filter list, an action, a syscall bitmask and up to 64 fields.
/// Encodes to and decodes from <c>struct audit_rule_data</c> (include/uapi/linux/audit.h:510).
/// </summary>
public sealed partial class AuditRule
{
    /// <summary>AUDIT_BITMASK_SIZE: 32-bit words of the syscall mask.</summary>
    public const int BitmaskSize = 64;

    /// <summary>AUDIT_MAX_FIELDS.</summary>
    public const int MaxFields = 64;

    /// <summary>sizeof(struct audit_rule_data) without the flexible <c>buf</c>.</summary>
    public const int HeaderSize = 1040;

    /// <summary>AUDIT_FILTER_PREPEND: insert at the head of the list instead of the tail.</summary>
    public const uint FilterPrepend = 0x10;

    /// <summary>The key Vigil puts on every rule it installs, so they can be told apart.</summary>
    public const string VigilKey = "vigil";

    private const int FlagsOffset = 0;
    private const int ActionOffset = 4;
    private const int FieldCountOffset = 8;
    private const int MaskOffset = 12;
    private const int FieldsOffset = MaskOffset + (4 * BitmaskSize);
    private const int ValuesOffset = FieldsOffset + (4 * MaxFields);
    private const int FieldFlagsOffset = ValuesOffset + (4 * MaxFields);
    private const int BufLenOffset = FieldFlagsOffset + (4 * MaxFields);

    /// <summary>The filter list (low bits of <c>flags</c>).</summary>
    public AuditFilterList List { get; set; } = AuditFilterList.Exit;

    /// <summary>Whether the rule goes to the head of its list (AUDIT_FILTER_PREPEND in <c>flags</c>).</summary>
    public bool Prepend { get; set; }

    /// <summary>The action.</summary>
    public AuditRuleAction Action { get; set; } = AuditRuleAction.Always;

    /// <summary><c>mask</c>: syscall N is bit N%32 of word N/32.</summary>
    public uint[] SyscallMask { get; } = new uint[BitmaskSize];

    /// <summary>The fields, in the order the kernel evaluates them.</summary>
    public List<AuditRuleField> Fields { get; } = [];

    /// <summary>
    /// The top AUDIT_SYSCALL_CLASSES (16) bits of the mask name syscall classes, not syscalls: the kernel expands
    /// and clears them (audit_to_entry_common, kernel/auditfilter.c), so <c>-S all</c> lists back without them.
    /// </summary>
    public const uint ClassBitsOfLastWord = 0xFFFF0000;

    /// <summary>Whether every syscall bit is set (<c>-S all</c>), with or without the class bits.</summary>
    public bool AllSyscalls
    {
        get
        {
            for (var i = 0; i < BitmaskSize - 1; i++)
            {
                if (SyscallMask[i] != uint.MaxValue)
                {
                    return false;
                }
            }

            return (SyscallMask[BitmaskSize - 1] | ClassBitsOfLastWord) == uint.MaxValue;
        }
    }

    /// <summary>Sets syscall <paramref name="number"/> in the mask.</summary>
    public AuditRule AddSyscall(int number)
    {
        SyscallMask[number / 32] |= 1u << (number % 32);
        return this;
    }

    /// <summary>Sets every syscall bit, leaving the class bits clear so the rule lists back as it was sent.</summary>
    public AuditRule AddAllSyscalls()
    {
        Array.Fill(SyscallMask, uint.MaxValue);
        SyscallMask[BitmaskSize - 1] = ~ClassBitsOfLastWord;
        return this;
    }

    /// <summary>Whether syscall <paramref name="number"/> is in the mask.</summary>
    public bool HasSyscall(int number) => (SyscallMask[number / 32] & (1u << (number % 32))) != 0;

    /// <summary>
    /// <c>-a always,exit -F arch=… -S names… [-F dir=…] -F key=…</c>; the names are looked up for <paramref name="arch"/>
    /// and unknown names are an error. A <paramref name="directory"/> limits the rule to syscalls whose paths lie in
    /// the tree under it, files and directories made later included (the kernel's audit_tree).
    /// </summary>
    public static AuditRule ForSyscalls(uint arch, IEnumerable<string> syscalls, string key, string? directory = null)
    {
        var rule = new AuditRule();
        rule.Fields.Add(AuditRuleField.Number(AuditField.Arch, AuditOperator.Equal, arch));
        foreach (var name in syscalls)
        {
            if (!SyscallTable.TryGetNumber(arch, name, out var number))
            {
                throw new ArgumentException($"syscall '{name}' is unknown for arch 0x{arch:X8}", nameof(syscalls));
            }

            rule.AddSyscall(number);
        }

        if (directory is not null)
        {
            rule.Fields.Add(AuditRuleField.String(AuditField.Dir, AuditOperator.Equal, directory));
        }

        return rule.WithKey(key);
    }

    /// <summary>
    /// <c>-a ACTION,exit -F arch=… -S socketcall -F a0=…</c>: the socket call <paramref name="call"/> (a SYS_ number of
    /// <see cref="SocketCall"/>) made through the multiplexer, and no other call made through it. Its selectors and
    /// key are the caller's to add.
    /// </summary>
    public static AuditRule ForSocketCall(uint arch, int call, AuditRuleAction action) =>
        ForArgument(arch, SocketCall.Name, AuditField.Arg0, (uint)call, action);

    /// <summary>
    /// <c>-a ACTION,exit -F arch=… -S NAME -F aN=…</c>: the calls of <paramref name="syscall"/> whose argument
    /// <paramref name="argument"/> (<see cref="AuditField.Arg0"/> to <see cref="AuditField.Arg3"/>) is
    /// <paramref name="value"/>. Its selectors and key are the caller's to add.
    /// </summary>
    public static AuditRule ForArgument(uint arch, string syscall, AuditField argument, uint value, AuditRuleAction action)
    {
        var rule = new AuditRule { Action = action };
        if (!SyscallTable.TryGetNumber(arch, syscall, out var number))
        {
            throw new ArgumentException($"arch 0x{arch:X8} has no {syscall}", nameof(arch));
        }

        rule.AddSyscall(number);
        rule.Fields.Add(AuditRuleField.Number(AuditField.Arch, AuditOperator.Equal, arch));
        rule.Fields.Add(AuditRuleField.Number(argument, AuditOperator.Equal, value));
        return rule;
    }

    /// <summary>Adds the key field <paramref name="key"/>, which goes last.</summary>
    public AuditRule WithKey(string key)
    {
        Fields.Add(AuditRuleField.String(AuditField.FilterKey, AuditOperator.Equal, key));
        return this;
    }

    /// <summary><c>-A never,exit -F arch=… -S all -F pid=… -F key=…</c>: no record for any syscall of that process.</summary>
    public static AuditRule ForProcessExclusion(uint arch, uint pid, string key)
    {
        var rule = new AuditRule { Action = AuditRuleAction.Never, Prepend = true }.AddAllSyscalls();
        rule.Fields.Add(AuditRuleField.Number(AuditField.Arch, AuditOperator.Equal, arch));
        rule.Fields.Add(AuditRuleField.Number(AuditField.Pid, AuditOperator.Equal, pid));
        return rule.WithKey(key);
    }

    /// <summary>The bytes of <c>audit_rule_data</c> with its string buffer, zero-padded to 4 bytes.</summary>
    public byte[] Encode()
    {
        if (Fields.Count > MaxFields)
        {
            throw new InvalidOperationException($"a rule has at most {MaxFields} fields, this one has {Fields.Count}");
        }

        var bufLength = 0;
        foreach (var field in Fields)
        {
            if (AuditRuleField.IsStringField(field.Field))
            {
                bufLength += Encoding.UTF8.GetByteCount(field.Text ?? string.Empty);
            }
        }

        var data = new byte[NlMsgHdr.Align(HeaderSize + bufLength)];
        var span = data.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span[FlagsOffset..], (uint)List | (Prepend ? FilterPrepend : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(span[ActionOffset..], (uint)Action);
        BinaryPrimitives.WriteUInt32LittleEndian(span[FieldCountOffset..], (uint)Fields.Count);
        for (var i = 0; i < BitmaskSize; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[(MaskOffset + (4 * i))..], SyscallMask[i]);
        }

        var bufPosition = HeaderSize;
        for (var i = 0; i < Fields.Count; i++)
        {
            var field = Fields[i];
            var value = field.Value;
            if (AuditRuleField.IsStringField(field.Field))
            {
                value = (uint)Encoding.UTF8.GetBytes(field.Text ?? string.Empty, span[bufPosition..]);
                bufPosition += (int)value;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(span[(FieldsOffset + (4 * i))..], (uint)field.Field);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(ValuesOffset + (4 * i))..], value);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(FieldFlagsOffset + (4 * i))..], (uint)field.Operator);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[BufLenOffset..], (uint)bufLength);
        return data;
    }

    /// <summary>
    /// The meaningful length of an encoded rule, <c>1040 + buflen</c>, without padding; two rules are the same rule
    /// when these prefixes are equal.
    /// </summary>
    public static int EncodedLength(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize)
        {
            throw new FormatException($"audit_rule_data needs {HeaderSize} bytes, got {data.Length}");
        }

        var bufLength = BinaryPrimitives.ReadUInt32LittleEndian(data[BufLenOffset..]);
        if (bufLength > (uint)(data.Length - HeaderSize))
        {
            throw new FormatException($"audit_rule_data buflen {bufLength} exceeds the {data.Length - HeaderSize} bytes present");
        }

        return HeaderSize + (int)bufLength;
    }

    /// <summary>Whether an encoded rule carries AUDIT_FILTER_PREPEND.</summary>
    public static bool IsPrepended(ReadOnlySpan<byte> data) => (BinaryPrimitives.ReadUInt32LittleEndian(data[FlagsOffset..]) & FilterPrepend) != 0;

    /// <summary>Sets or clears AUDIT_FILTER_PREPEND in an encoded rule.</summary>
    public static void SetPrepended(Span<byte> data, bool prepend)
    {
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(data[FlagsOffset..]) & ~FilterPrepend;
        BinaryPrimitives.WriteUInt32LittleEndian(data[FlagsOffset..], flags | (prepend ? FilterPrepend : 0));
    }

    /// <summary>
    /// Whether two encoded rules describe the same rule: equal up to their padding and to AUDIT_FILTER_PREPEND,
    /// which only places a rule when it is added and which AUDIT_LIST_RULES does not report.
    /// </summary>
    public static bool SameEncoding(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var leftLength = EncodedLength(left);
        var rightLength = EncodedLength(right);
        var leftFlags = BinaryPrimitives.ReadUInt32LittleEndian(left) & ~FilterPrepend;
        var rightFlags = BinaryPrimitives.ReadUInt32LittleEndian(right) & ~FilterPrepend;
        return leftFlags == rightFlags && left[4..leftLength].SequenceEqual(right[4..rightLength]);
    }

    /// <summary>Decodes <c>audit_rule_data</c> as AUDIT_LIST_RULES returns it.</summary>
    public static AuditRule Decode(ReadOnlySpan<byte> data)
    {
        var end = EncodedLength(data);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(data[FlagsOffset..]);
        var rule = new AuditRule
        {
            List = (AuditFilterList)(flags & ~FilterPrepend),
            Prepend = (flags & FilterPrepend) != 0,
            Action = (AuditRuleAction)BinaryPrimitives.ReadUInt32LittleEndian(data[ActionOffset..]),
        };
        for (var i = 0; i < BitmaskSize; i++)
        {
            rule.SyscallMask[i] = BinaryPrimitives.ReadUInt32LittleEndian(data[(MaskOffset + (4 * i))..]);
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(data[FieldCountOffset..]);
        if (count > MaxFields)
        {
            throw new FormatException($"audit_rule_data field_count {count} exceeds {MaxFields}");
        }

        var bufPosition = HeaderSize;
        for (var i = 0; i < (int)count; i++)
        {
            var field = (AuditField)BinaryPrimitives.ReadUInt32LittleEndian(data[(FieldsOffset + (4 * i))..]);
            var value = BinaryPrimitives.ReadUInt32LittleEndian(data[(ValuesOffset + (4 * i))..]);
            var op = (AuditOperator)BinaryPrimitives.ReadUInt32LittleEndian(data[(FieldFlagsOffset + (4 * i))..]);
            string? text = null;
            if (AuditRuleField.IsStringField(field))
            {
                if (value > (uint)(end - bufPosition))
                {
                    throw new FormatException($"string field {field} of {value} bytes runs past buflen");
                }

                text = Encoding.UTF8.GetString(data.Slice(bufPosition, (int)value));
                bufPosition += (int)value;
            }

            rule.Fields.Add(new AuditRuleField(field, op, value, text));
        }

        return rule;
    }
}
