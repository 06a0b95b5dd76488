using Vigil.Records;
using Xunit;
using static Vigil.Tests.Records.RecordFixtures;

namespace Vigil.Tests.Records;

public class FieldReaderTests
{
    private static List<(string Key, string Raw)> ReadAll(ReadOnlySpan<byte> text)
    {
        var fields = new List<(string, string)>();
        var reader = new FieldReader(text);
        while (reader.TryReadNext())
        {
            fields.Add((Text(reader.Key), Text(reader.RawValue)));
        }

        return fields;
    }

    [Fact]
    public void ReadsBareDoubleAndSingleQuotedValues()
    {
        var fields = ReadAll("pid=6820 uid=0 msg='text=vigil fixture user message exe=\"/usr/sbin/auditctl\" res=success' name=\"a b\" empty= last=x"u8);

        Assert.Equal(
            [
                ("pid", "6820"), ("uid", "0"),
                ("msg", "'text=vigil fixture user message exe=\"/usr/sbin/auditctl\" res=success'"),
                ("name", "\"a b\""), ("empty", ""), ("last", "x"),
            ],
            fields);
    }

    [Fact]
    public void SkipsWordsWithoutEquals()
    {
        var fields = ReadAll("avc:  denied  { read } for  pid=12 comm=\"cat\""u8);

        Assert.Equal([("pid", "12"), ("comm", "\"cat\"")], fields);
    }

    [Fact]
    public void UnterminatedQuoteRunsToTheEnd()
    {
        Assert.Equal([("a", "\"x y")], ReadAll("a=\"x y"u8));
    }

    // The reader searches 16 bytes at a time and the last few one by one: texts of every length up to 80, built of the
    // bytes that matter, read as a byte-by-byte reading of the same rules does (offsets included).
    [Fact]
    public void ReadsAsAByteByByteReadingOfTheRules()
    {
        var random = new Random(12);
        var alphabet = "ab =\"'x1"u8.ToArray();
        for (var round = 0; round < 20000; round++)
        {
            var text = new byte[random.Next(81)];
            for (var i = 0; i < text.Length; i++)
            {
                text[i] = alphabet[random.Next(alphabet.Length)];
            }

            var expected = ReadByteByByte(text);
            var reader = new FieldReader(text);
            var actual = new List<(string, string, int)>();
            while (reader.TryReadNext())
            {
                actual.Add((Text(reader.Key), Text(reader.RawValue), reader.ValueOffset));
            }

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void ValueOffsetPointsIntoTheText()
    {
        var text = "a=1 bb=\"two\""u8;
        var reader = new FieldReader(text);
        Assert.True(reader.TryReadNext());
        Assert.True(reader.TryReadNext());

        Assert.Equal(7, reader.ValueOffset);
        Assert.Equal("two", Text(reader.Value));
    }

    // Spaces are skipped; a word up to a space or '=' that is not followed by '=' (or is empty) is skipped with the byte
    // after it; a value quoted by " or ' runs to its closing quote (or the end), a bare one to the next space.
    private static List<(string Key, string Raw, int Offset)> ReadByteByByte(byte[] text)
    {
        var fields = new List<(string, string, int)>();
        var at = 0;
        while (true)
        {
            while (at < text.Length && text[at] == ' ')
            {
                at++;
            }

            if (at >= text.Length)
            {
                return fields;
            }

            var end = at;
            while (end < text.Length && text[end] != ' ' && text[end] != '=')
            {
                end++;
            }

            if (end == text.Length || end == at || text[end] == ' ')
            {
                at = Math.Min(end + 1, text.Length);
                continue;
            }

            var start = end + 1;
            var stop = start;
            if (start < text.Length && (text[start] == '"' || text[start] == '\''))
            {
                stop = start + 1;
                while (stop < text.Length && text[stop] != text[start])
                {
                    stop++;
                }

                stop = Math.Min(stop + 1, text.Length);
            }
            else
            {
                while (stop < text.Length && text[stop] != ' ')
                {
                    stop++;
                }
            }

            fields.Add((Text(text.AsSpan(at, end - at)), Text(text.AsSpan(start, stop - start)), start));
            at = stop;
        }
    }

    [Fact]
    public void AuditFieldsOnARealSyscallRecord()
    {
        Assert.True(RecordParser.TryParseLogLine(Line("raw.log", "SYSCALL", 29), out var record));
        var body = record.Body;

        Assert.True(AuditFields.TryGetInt64(body, "exit"u8, out var exit));
        Assert.Equal(-111, exit);
        Assert.True(AuditFields.TryGetInt64(body, "auid"u8, out var auid));
        Assert.Equal(4294967295, auid);
        Assert.True(AuditFields.TryGetHex(body, "arch"u8, out var arch));
        Assert.Equal(0xC000003EUL, arch);
        Assert.True(AuditFields.TryGetHex(body, "a1"u8, out var a1));
        Assert.Equal(0x7ffd5ab37a80UL, a1);
        Assert.True(AuditFields.TryGet(body, "comm"u8, out var comm));
        Assert.Equal("\"python3.11\"", Text(comm));
        Assert.False(AuditFields.TryGetInt64(body, "comm"u8, out _));
        Assert.False(AuditFields.TryGetInt64(body, "missing"u8, out _));
        Assert.False(AuditFields.TryGetHex(body, "success"u8, out _));
    }

    [Fact]
    public void KeyMustMatchWholly()
    {
        Assert.True(AuditFields.TryGetInt64("suid=5 uid=7"u8, "uid"u8, out var uid));
        Assert.Equal(7, uid);
    }

    [Fact]
    public void UserMessageFieldsReadLikeABody()
    {
        Assert.True(RecordParser.TryParseLogLine(Line("raw.log", "USER_START", 23), out var record));

        Assert.True(AuditFields.TryGetUserMessage(record.Body, out var message));
        Assert.True(AuditFields.TryGet(message, "op"u8, out var op));
        Assert.True(AuditFields.TryGet(message, "acct"u8, out var acct));
        Assert.True(AuditFields.TryGet(message, "exe"u8, out var exe));
        Assert.True(AuditFields.TryGet(message, "res"u8, out var res));

        Assert.Equal("PAM:session_open", Text(op));
        Assert.Equal("root", AuditValue.DecodeText(acct));
        Assert.Equal("/usr/sbin/runuser", AuditValue.DecodeText(exe));
        Assert.Equal("success", Text(res));
        Assert.True(AuditFields.TryGetInt64(record.Body, "pid"u8, out var pid));
        Assert.Equal(6821, pid);
    }

    [Fact]
    public void FreeTextUserMessageStillGivesItsFields()
    {
        Assert.True(RecordParser.TryParseLogLine(Line("raw.log", "USER", 13), out var record));

        Assert.True(AuditFields.TryGetUserMessage(record.Body, out var message));
        Assert.True(AuditFields.TryGet(message, "exe"u8, out var exe));
        Assert.True(AuditFields.TryGet(message, "text"u8, out var text));

        Assert.Equal("/usr/sbin/auditctl", AuditValue.DecodeText(exe));
        Assert.Equal("vigil", Text(text));
    }
}
