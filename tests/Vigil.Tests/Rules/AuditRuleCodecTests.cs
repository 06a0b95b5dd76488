using System.Buffers.Binary;
using System.Text;
using Vigil.KernelAbi;
using Vigil.Rules;
using Xunit;

namespace Vigil.Tests.Rules;

public class AuditRuleCodecTests
{
    // -a always,exit -F arch=b64 -S accept,connect -F key=external-access, laid out by hand from audit.h.
    private static byte[] ExternalAccessBytes()
    {
        var expected = new byte[1056];
        var span = expected.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span[0..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(12 + 4)..], 0xC00);
        BinaryPrimitives.WriteUInt32LittleEndian(span[268..], 11);
        BinaryPrimitives.WriteUInt32LittleEndian(span[272..], 210);
        BinaryPrimitives.WriteUInt32LittleEndian(span[524..], 0xC000003E);
        BinaryPrimitives.WriteUInt32LittleEndian(span[528..], 15);
        BinaryPrimitives.WriteUInt32LittleEndian(span[780..], 0x40000000);
        BinaryPrimitives.WriteUInt32LittleEndian(span[784..], 0x40000000);
        BinaryPrimitives.WriteUInt32LittleEndian(span[1036..], 15);
        Encoding.ASCII.GetBytes("external-access").CopyTo(span[1040..]);
        return expected;
    }

    [Fact]
    public void Encodes_the_abi_example_byte_for_byte()
    {
        var rule = AuditRule.ForSyscalls(SyscallTable.ArchX86_64, ["accept", "connect"], "external-access");

        var encoded = rule.Encode();

        Assert.Equal(1056, encoded.Length);
        Assert.Equal(ExternalAccessBytes(), encoded);
        Assert.Equal(1055, AuditRule.EncodedLength(encoded));
    }

    [Fact]
    public void Decodes_the_abi_example()
    {
        var rule = AuditRule.Decode(ExternalAccessBytes().AsSpan(0, 1055));

        Assert.Equal(AuditFilterList.Exit, rule.List);
        Assert.False(rule.Prepend);
        Assert.Equal(AuditRuleAction.Always, rule.Action);
        Assert.True(rule.HasSyscall(42));
        Assert.True(rule.HasSyscall(43));
        Assert.False(rule.HasSyscall(41));
        Assert.Equal(
            [new AuditRuleField(AuditField.Arch, AuditOperator.Equal, 0xC000003E), new AuditRuleField(AuditField.FilterKey, AuditOperator.Equal, 15, "external-access")],
            rule.Fields);
        Assert.Equal(ExternalAccessBytes(), rule.Encode());
    }

    [Fact]
    public void Process_exclusion_is_prepended_over_all_syscalls()
    {
        var encoded = AuditRule.ForProcessExclusion(SyscallTable.ArchX86_64, 1234, "vigil").Encode();

        Assert.Equal(0x14u, BinaryPrimitives.ReadUInt32LittleEndian(encoded));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(4)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(8)));
        Assert.Equal(0xFFFFFFFFu, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(12 + (62 * 4))));
        Assert.Equal(0x0000FFFFu, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(12 + (63 * 4))));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(272)));
        Assert.Equal(1234u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(528)));
        Assert.Equal("vigil", Encoding.ASCII.GetString(encoded, 1040, 5));
        Assert.Equal(1048, encoded.Length);
    }

    [Fact]
    public void Two_string_fields_share_the_buffer_in_field_order()
    {
        var rule = new AuditRule().AddAllSyscalls();
        rule.Fields.Add(AuditRuleField.String(AuditField.Watch, AuditOperator.Equal, "/etc/passwd"));
        rule.Fields.Add(AuditRuleField.Number(AuditField.Perm, AuditOperator.Equal, 10));
        rule.Fields.Add(AuditRuleField.String(AuditField.FilterKey, AuditOperator.Equal, "x"));

        var encoded = rule.Encode();

        Assert.Equal(12u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(1036)));
        Assert.Equal("/etc/passwdx", Encoding.ASCII.GetString(encoded, 1040, 12));
        Assert.Equal(11u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(524)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(532)));
        Assert.Equal(rule.Fields, AuditRule.Decode(encoded).Fields);
    }

    [Fact]
    public void Decode_rejects_a_buflen_past_the_data()
    {
        var bytes = ExternalAccessBytes();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(1036), 17);

        var error = Assert.Throws<FormatException>(() => AuditRule.Decode(bytes));
        Assert.Equal("audit_rule_data buflen 17 exceeds the 16 bytes present", error.Message);
    }

    [Fact]
    public void Decode_rejects_a_short_header() =>
        Assert.Throws<FormatException>(() => AuditRule.Decode(new byte[1039]));

    [Fact]
    public void Same_encoding_ignores_padding_and_the_prepend_flag()
    {
        var padded = ExternalAccessBytes();
        var other = ExternalAccessBytes();
        other[1054] = (byte)'X';

        var prepended = ExternalAccessBytes();
        prepended[0] |= 0x10;
        var otherList = ExternalAccessBytes();
        otherList[0] = 1;

        Assert.True(AuditRule.SameEncoding(padded, padded.AsSpan(0, 1055)));
        Assert.True(AuditRule.SameEncoding(prepended, padded));
        Assert.False(AuditRule.SameEncoding(padded, other));
        Assert.False(AuditRule.SameEncoding(otherList, padded));
    }

    [Fact]
    public void Prepend_flag_is_set_and_cleared_in_place_leaving_the_list()
    {
        var data = ExternalAccessBytes();
        var list = data[0];
        Assert.False(AuditRule.IsPrepended(data));

        AuditRule.SetPrepended(data, prepend: true);
        Assert.True(AuditRule.IsPrepended(data));
        Assert.Equal(list | 0x10, data[0]);
        Assert.True(AuditRule.Decode(data).Prepend);

        AuditRule.SetPrepended(data, prepend: false);
        Assert.False(AuditRule.IsPrepended(data));
        Assert.Equal(ExternalAccessBytes(), data);
    }

    [Fact]
    public void All_syscalls_is_recognised_with_or_without_the_class_bits()
    {
        var sent = new AuditRule();
        Array.Fill(sent.SyscallMask, uint.MaxValue);
        var listed = new AuditRule().AddAllSyscalls();
        var almost = new AuditRule().AddAllSyscalls();
        almost.SyscallMask[63] = 0x00007FFF;

        Assert.True(sent.AllSyscalls);
        Assert.True(listed.AllSyscalls);
        Assert.False(almost.AllSyscalls);
    }

    [Fact]
    public void Unknown_syscall_names_are_an_error() =>
        Assert.Throws<ArgumentException>(() => AuditRule.ForSyscalls(SyscallTable.ArchX86_64, ["no_such_call"], "vigil"));
}
