using System.Buffers.Text;
using System.Runtime.CompilerServices;
using Vigil.KernelAbi;

namespace Vigil.Records;

/// <summary>
/// The fields of a SYSCALL record body that the event tables read (arch and syscall aside, which
/// <see cref="Events.AuditEvent.TryGetSyscall"/> reads once for all of them), found in one pass: a row needs about
/// twenty of them, and a look-up each (<see cref="AuditFields"/>) scanned the body from its start every time. Each
/// value is the first field of its name, raw (quotes included), as <see cref="AuditFields.TryGet"/> gives it.
/// </summary>
public ref struct SyscallFields
{
    private Field _found;
    private ReadOnlySpan<byte> _success;
    private ReadOnlySpan<byte> _exit;
    private ReadOnlySpan<byte> _a0;
    private ReadOnlySpan<byte> _a1;
    private ReadOnlySpan<byte> _a2;
    private ReadOnlySpan<byte> _ppid;
    private ReadOnlySpan<byte> _pid;
    private ReadOnlySpan<byte> _auid;
    private ReadOnlySpan<byte> _uid;
    private ReadOnlySpan<byte> _gid;
    private ReadOnlySpan<byte> _euid;
    private ReadOnlySpan<byte> _suid;
    private ReadOnlySpan<byte> _fsuid;
    private ReadOnlySpan<byte> _egid;
    private ReadOnlySpan<byte> _sgid;
    private ReadOnlySpan<byte> _fsgid;
    private ReadOnlySpan<byte> _exe;
    private ReadOnlySpan<byte> _ses;
    private ReadOnlySpan<byte> _tty;

    // The fields audit_log_exit writes, in its order, up to exe (0 for those not kept): each key with its '=' fits in
    // eight bytes, compared as one number.
    private static readonly ExpectedKey[] KernelOrder =
    [
        new("arch="u8, 0), new("syscall="u8, 0), new("success="u8, Field.Success), new("exit="u8, Field.Exit),
        new("a0="u8, Field.A0), new("a1="u8, Field.A1), new("a2="u8, Field.A2), new("a3="u8, 0), new("items="u8, 0),
        new("ppid="u8, Field.Ppid), new("pid="u8, Field.Pid), new("auid="u8, Field.Auid), new("uid="u8, Field.Uid),
        new("gid="u8, Field.Gid), new("euid="u8, Field.Euid), new("suid="u8, Field.Suid), new("fsuid="u8, Field.Fsuid),
        new("egid="u8, Field.Egid), new("sgid="u8, Field.Sgid), new("fsgid="u8, Field.Fsgid), new("tty="u8, Field.Tty),
        new("ses="u8, Field.Ses), new("comm="u8, 0), new("exe="u8, Field.Exe),
    ];

    [Flags]
    private enum Field
    {
        Success = 1 << 0,
        Exit = 1 << 1,
        A0 = 1 << 2,
        Ppid = 1 << 3,
        Pid = 1 << 4,
        Auid = 1 << 5,
        Uid = 1 << 6,
        Gid = 1 << 7,
        Euid = 1 << 8,
        Suid = 1 << 9,
        Fsuid = 1 << 10,
        Egid = 1 << 11,
        Sgid = 1 << 12,
        Fsgid = 1 << 13,
        Exe = 1 << 14,
        Ses = 1 << 15,
        Tty = 1 << 16,
        A1 = 1 << 17,
        A2 = 1 << 18,
    }

    public readonly ReadOnlySpan<byte> Success => _success;

    public readonly ReadOnlySpan<byte> Exit => _exit;

    public readonly ReadOnlySpan<byte> A0 => _a0;

    public readonly ReadOnlySpan<byte> A1 => _a1;

    public readonly ReadOnlySpan<byte> A2 => _a2;

    public readonly ReadOnlySpan<byte> Ppid => _ppid;

    public readonly ReadOnlySpan<byte> Pid => _pid;

    public readonly ReadOnlySpan<byte> Auid => _auid;

    public readonly ReadOnlySpan<byte> Uid => _uid;

    public readonly ReadOnlySpan<byte> Gid => _gid;

    public readonly ReadOnlySpan<byte> Euid => _euid;

    public readonly ReadOnlySpan<byte> Suid => _suid;

    public readonly ReadOnlySpan<byte> Fsuid => _fsuid;

    public readonly ReadOnlySpan<byte> Egid => _egid;

    public readonly ReadOnlySpan<byte> Sgid => _sgid;

    public readonly ReadOnlySpan<byte> Fsgid => _fsgid;

    public readonly ReadOnlySpan<byte> Exe => _exe;

    /// <summary>The audit session id (<c>ses</c>; 4294967295 when the task has none).</summary>
    public readonly ReadOnlySpan<byte> Ses => _ses;

    /// <summary>The controlling terminal (<c>tty</c>: <c>pts1</c>, or <c>(none)</c>).</summary>
    public readonly ReadOnlySpan<byte> Tty => _tty;

    /// <summary>True when the body had an <c>a0</c> field (a present value may be empty).</summary>
    public readonly bool HasA0 => (_found & Field.A0) != 0;

    /// <summary>True when the body had an <c>exe</c> field.</summary>
    public readonly bool HasExe => (_found & Field.Exe) != 0;

    /// <summary>Reads <paramref name="body"/> once, keeping the fields above.</summary>
    public static SyscallFields Read(ReadOnlySpan<byte> body)
    {
        var fields = default(SyscallFields);
        var rest = fields.ReadInKernelOrder(body);
        if (rest < 0)
        {
            return fields;
        }

        var reader = new FieldReader(body[rest..]);
        while (reader.TryReadNext())
        {
            if (FieldOf(reader.Key) is var field and not 0)
            {
                fields.Keep(field, reader.RawValue);
            }
        }

        return fields;
    }

    /// <summary>
    /// The arch (hexadecimal) and syscall number of a SYSCALL record body: read where the kernel writes them, its first
    /// two fields, or looked up when the body does not start with them. False when either is absent or not a number.
    /// </summary>
    public static bool TryReadSyscall(ReadOnlySpan<byte> body, out ulong arch, out long number)
    {
        var (archKey, syscallKey) = (KernelOrder[0], KernelOrder[1]);
        if (archKey.IsAt(body, 0))
        {
            var archEnd = FieldReader.ValueEnd(body, archKey.Length);
            if (archEnd < body.Length && body[archEnd] == (byte)' ' && syscallKey.IsAt(body, archEnd + 1))
            {
                var start = archEnd + 1 + syscallKey.Length;
                number = 0;
                return TryParseHex(body[archKey.Length..archEnd], out arch)
                    && TryParseInt64(body[start..FieldReader.ValueEnd(body, start)], out number);
            }
        }

        number = 0;
        return AuditFields.TryGetHex(body, "arch"u8, out arch) && AuditFields.TryGetInt64(body, "syscall"u8, out number);
    }

    /// <summary>The <c>a0</c> field as a number (hexadecimal: clone's flags); false when absent or not hex.</summary>
    public readonly bool TryGetA0(out ulong a0) => TryParseHex(A0, out a0);

    /// <summary>The <c>a1</c> field as a number (hexadecimal: open's flags, symlinkat's directory); false when absent or not hex.</summary>
    public readonly bool TryGetA1(out ulong a1) => TryParseHex(A1, out a1);

    /// <summary>The <c>a2</c> field as a number (hexadecimal: openat's flags, the second directory of linkat and renameat); false when absent or not hex.</summary>
    public readonly bool TryGetA2(out ulong a2) => TryParseHex(A2, out a2);

    /// <summary>A decimal value of this record (<see cref="Pid"/>, <see cref="Syscall"/>…); false when absent or not a number.</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> raw, out long value) =>
        Utf8Parser.TryParse(raw, out value, out var consumed) && consumed == raw.Length && raw.Length > 0;

    private static bool TryParseHex(ReadOnlySpan<byte> raw, out ulong value) =>
        Utf8Parser.TryParse(raw, out value, out var consumed, 'x') && consumed == raw.Length && raw.Length > 0;

    // The kernel writes a SYSCALL record's fields in one order (audit_log_exit): while they come in it, each key is
    // compared where it is expected instead of searched for and told apart from the others, and the record is left
    // once exe is read, no field after it being kept. Returns where the first field out of that order starts, for
    // the general reader to go on from, or -1 when every field came in order.
    private int ReadInKernelOrder(ReadOnlySpan<byte> body)
    {
        var at = 0;
        foreach (var expected in KernelOrder)
        {
            if (!expected.IsAt(body, at))
            {
                return at;
            }

            var start = at + expected.Length;
            var end = FieldReader.ValueEnd(body, start);
            if (expected.Field != 0)
            {
                Keep(expected.Field, body[start..end]);
            }

            if (expected.Field == Field.Exe)
            {
                return -1;
            }

            at = end;
            while (at < body.Length && body[at] == (byte)' ')
            {
                at++;
            }
        }

        return at;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Keep(Field field, ReadOnlySpan<byte> value)
    {
        if (IsFirst(field))
        {
            switch (field)
            {
                case Field.Success: _success = value; break;
                case Field.Exit: _exit = value; break;
                case Field.A0: _a0 = value; break;
                case Field.A1: _a1 = value; break;
                case Field.A2: _a2 = value; break;
                case Field.Ppid: _ppid = value; break;
                case Field.Pid: _pid = value; break;
                case Field.Auid: _auid = value; break;
                case Field.Uid: _uid = value; break;
                case Field.Gid: _gid = value; break;
                case Field.Euid: _euid = value; break;
                case Field.Suid: _suid = value; break;
                case Field.Fsuid: _fsuid = value; break;
                case Field.Egid: _egid = value; break;
                case Field.Sgid: _sgid = value; break;
                case Field.Fsgid: _fsgid = value; break;
                case Field.Exe: _exe = value; break;
                case Field.Ses: _ses = value; break;
                case Field.Tty: _tty = value; break;
            }
        }
    }

    private bool IsFirst(Field field)
    {
        var first = (_found & field) == 0;
        _found |= field;
        return first;
    }

    // A field out of the kernel's order (a record another writer made) is looked up in the same table.
    private static Field FieldOf(ReadOnlySpan<byte> key)
    {
        foreach (var expected in KernelOrder)
        {
            if (expected.Field != 0 && expected.Is(key))
            {
                return expected.Field;
            }
        }

        return 0;
    }

    /// <summary>A key with its '=' as the first bytes of a number, and the bits those bytes take.</summary>
    private readonly struct ExpectedKey(ReadOnlySpan<byte> keyAndEquals, Field field)
    {
        public ulong Word { get; } = LeadingWord.Of(keyAndEquals);

        public ulong Mask { get; } = keyAndEquals.Length == sizeof(ulong) ? ulong.MaxValue : (1UL << (keyAndEquals.Length * 8)) - 1;

        public int Length { get; } = keyAndEquals.Length;

        public Field Field { get; } = field;

        /// <summary>Whether <paramref name="text"/> has this key and its '=' at <paramref name="at"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool IsAt(ReadOnlySpan<byte> text, int at) =>
            text.Length - at >= Length && (LeadingWord.Of(text[at..]) & Mask) == Word;

        /// <summary>Whether <paramref name="key"/> is this key without its '='.</summary>
        public bool Is(ReadOnlySpan<byte> key) => key.Length == Length - 1 && LeadingWord.Of(key) == (Word & (Mask >> 8));
    }
}
