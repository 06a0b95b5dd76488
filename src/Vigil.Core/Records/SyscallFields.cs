using System.Buffers.Text;

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

    [Flags]
    private enum Field
    {
        Success = 1 << 2,
        Exit = 1 << 3,
        A0 = 1 << 4,
        Ppid = 1 << 5,
        Pid = 1 << 6,
        Auid = 1 << 7,
        Uid = 1 << 8,
        Gid = 1 << 9,
        Euid = 1 << 10,
        Suid = 1 << 11,
        Fsuid = 1 << 12,
        Egid = 1 << 13,
        Sgid = 1 << 14,
        Fsgid = 1 << 15,
        Exe = 1 << 16,
        Ses = 1 << 17,
        Tty = 1 << 18,
        A1 = 1 << 19,
        A2 = 1 << 20,
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
        var reader = new FieldReader(body);
        while (reader.TryReadNext())
        {
            fields.Keep(reader.Key, reader.RawValue);
        }

        return fields;
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

    private bool IsFirst(Field field)
    {
        var first = (_found & field) == 0;
        _found |= field;
        return first;
    }

    private void Keep(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        switch (key.Length)
        {
            case 2:
                if (key.SequenceEqual("a0"u8))
                {
                    if (IsFirst(Field.A0))
                    {
                        _a0 = value;
                    }
                }
                else if (key.SequenceEqual("a1"u8))
                {
                    if (IsFirst(Field.A1))
                    {
                        _a1 = value;
                    }
                }
                else if (key.SequenceEqual("a2"u8))
                {
                    if (IsFirst(Field.A2))
                    {
                        _a2 = value;
                    }
                }

                break;
            case 3:
                if (key.SequenceEqual("pid"u8))
                {
                    if (IsFirst(Field.Pid))
                    {
                        _pid = value;
                    }
                }
                else if (key.SequenceEqual("uid"u8))
                {
                    if (IsFirst(Field.Uid))
                    {
                        _uid = value;
                    }
                }
                else if (key.SequenceEqual("gid"u8))
                {
                    if (IsFirst(Field.Gid))
                    {
                        _gid = value;
                    }
                }
                else if (key.SequenceEqual("exe"u8))
                {
                    if (IsFirst(Field.Exe))
                    {
                        _exe = value;
                    }
                }
                else if (key.SequenceEqual("ses"u8))
                {
                    if (IsFirst(Field.Ses))
                    {
                        _ses = value;
                    }
                }
                else if (key.SequenceEqual("tty"u8))
                {
                    if (IsFirst(Field.Tty))
                    {
                        _tty = value;
                    }
                }

                break;
            case 4:
                if (key.SequenceEqual("exit"u8))
                {
                    if (IsFirst(Field.Exit))
                    {
                        _exit = value;
                    }
                }
                else if (key.SequenceEqual("ppid"u8))
                {
                    if (IsFirst(Field.Ppid))
                    {
                        _ppid = value;
                    }
                }
                else if (key.SequenceEqual("auid"u8))
                {
                    if (IsFirst(Field.Auid))
                    {
                        _auid = value;
                    }
                }
                else if (key.SequenceEqual("euid"u8))
                {
                    if (IsFirst(Field.Euid))
                    {
                        _euid = value;
                    }
                }
                else if (key.SequenceEqual("suid"u8))
                {
                    if (IsFirst(Field.Suid))
                    {
                        _suid = value;
                    }
                }
                else if (key.SequenceEqual("egid"u8))
                {
                    if (IsFirst(Field.Egid))
                    {
                        _egid = value;
                    }
                }
                else if (key.SequenceEqual("sgid"u8))
                {
                    if (IsFirst(Field.Sgid))
                    {
                        _sgid = value;
                    }
                }

                break;
            case 5:
                if (key.SequenceEqual("fsuid"u8))
                {
                    if (IsFirst(Field.Fsuid))
                    {
                        _fsuid = value;
                    }
                }
                else if (key.SequenceEqual("fsgid"u8))
                {
                    if (IsFirst(Field.Fsgid))
                    {
                        _fsgid = value;
                    }
                }

                break;
            case 7:
                if (key.SequenceEqual("success"u8))
                {
                    if (IsFirst(Field.Success))
                    {
                        _success = value;
                    }
                }

                break;
        }
    }
}
