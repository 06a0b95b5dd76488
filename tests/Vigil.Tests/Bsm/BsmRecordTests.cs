using System.Net;
using System.Text;
using Vigil.Bsm;
using Xunit;

namespace Vigil.Tests.Bsm;

/// <summary>The token reader on real trails (Fixtures/bsm) and on written records for what those lack.</summary>
public sealed class BsmRecordTests
{
    private static byte[] Record(string fixture, int index) => BsmFixtures.Read(File.ReadAllBytes(BsmFixtures.PathOf(fixture))).Records[index];

    private static BsmRecord Parsed(string fixture, int index)
    {
        Assert.True(BsmRecord.TryRead(Record(fixture, index), out var record));
        return record;
    }

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    [Theory]
    [InlineData("apple.bsm", 54)]
    [InlineData("openbsm.bsm", 50)]
    [InlineData("execve-long-args.trail", 1)]
    public void Every_record_of_the_real_trails_reads_whole_with_every_token_known(string fixture, int records)
    {
        var read = BsmFixtures.Read(File.ReadAllBytes(BsmFixtures.PathOf(fixture)));

        Assert.Equal((records, 0, (long)records), (read.Records.Count, read.Malformed, read.Count));
        foreach (var bytes in read.Records)
        {
            Assert.True(BsmRecord.TryRead(bytes, out var record));
            Assert.Equal(0, record.UnknownToken);
        }
    }

    [Fact]
    public void A_macos_record_gives_its_header_text_path_and_return()
    {
        var record = Parsed("apple.bsm", 0);

        Assert.Equal((45029, "AUE_audit_recovery", 1383590180L, 381), (record.EventType, BsmEvents.Name(record.EventType), record.Seconds, record.Milliseconds));
        Assert.Equal(("launchctl::Audit recovery", "/var/audit/20131104171720.crash_recovery"), (Text(record.Text), Text(record.Path)));
        Assert.Equal((0, 0L), (record.ReturnError, record.ReturnValue));
        Assert.Equal(5, record.TokenCount);
    }

    [Fact]
    public void A_macos_expanded_subject_gives_its_ids()
    {
        var record = Parsed("apple.bsm", 2);

        Assert.Equal(new BsmSubject(true, 4294967295, 0, 0, 0, 0, 11, 100000), record.Subject);
        Assert.Equal("begin evaluation", Text(record.Text));
    }

    [Fact]
    public void Openbsm_records_give_arg_in_addr_iport_path_and_return()
    {
        var arg = Parsed("openbsm.bsm", 0);
        var inAddr = Parsed("openbsm.bsm", 3);
        var iport = Parsed("openbsm.bsm", 6);
        var path = Parsed("openbsm.bsm", 8);
        var ret = Parsed("openbsm.bsm", 11);

        Assert.Equal((0, 1230477138L, 131), (arg.EventType, arg.Seconds, arg.Milliseconds));
        Assert.Equal(((ulong?)null, (ulong?)null), (arg.Arg0, arg.Arg1));
        Assert.Equal("192.168.100.15", new IPAddress(inAddr.InAddress).ToString());
        Assert.Equal(20480, iport.IPort);
        Assert.Equal("/test/this/is/a/test", Text(path.Path));
        Assert.Equal((22, 0x12345678L), (ret.ReturnError, ret.ReturnValue));
    }

    [Fact]
    public void Openbsm_records_give_process_subjects_socket_ex_text_and_zonename()
    {
        var process32 = Parsed("openbsm.bsm", 9);
        var process64 = Parsed("openbsm.bsm", 10);
        var socketEx = Parsed("openbsm.bsm", 13);
        var subjectEx = Parsed("openbsm.bsm", 15);
        var text = Parsed("openbsm.bsm", 16);
        var zone = Parsed("openbsm.bsm", 17);

        var ids = new BsmSubject(true, 0x12345678, 0x01234567, 0x23456789, 0x98765432, 0x09876543, 0x13243546, 0x97867564);
        Assert.Equal(ids, process32.Process);
        Assert.Equal(ids, process64.Process);
        Assert.Equal(ids, subjectEx.Subject);
        Assert.Equal((BsmAddress.AfInet, "127.0.0.1", 0), (socketEx.SocketLocal.Family, new IPAddress(socketEx.SocketLocal.Address).ToString(), socketEx.SocketLocal.Port));
        Assert.Equal("127.0.0.1", new IPAddress(socketEx.SocketRemote.Address).ToString());
        Assert.Equal(("This is a test.", "testzone"), (Text(text.Text), Text(zone.Zonename)));
    }

    [Fact]
    public void A_freebsd_exec_gives_its_arguments_path_attributes_and_subject()
    {
        var record = Parsed("execve-long-args.trail", 0);

        Assert.Equal((23, "execve"), (record.EventType, BsmEvents.Syscall(record.EventType)));
        Assert.Equal(50, record.ExecArgCount);
        Assert.StartsWith("grep au_fetch_tok Makefile Makefile.am ", BsmRecord.JoinStrings(record.ExecArgs));
        Assert.Equal("/usr/bin/grep", Text(record.Path));
        Assert.Equal(new BsmAttributes(true, 0x16d, 0, 0), record.Attributes);
        Assert.Equal(new BsmSubject(true, 1000, 1000, 1000, 1000, 1000, 50009, 24722), record.Subject);
        Assert.Equal((0, 0L), (record.ReturnError, record.ReturnValue));
    }

    [Fact]
    public void Sixty_four_bit_tokens_read_as_their_32_bit_twins()
    {
        var bytes = BsmTrailWriter.RecordBytes(23, 1_700_000_000, tokens => tokens
            .ExecArgs("/bin/ls", "-l")
            .Path("/bin/ls")
            .Attr64(0x81ed, 0, 7)
            .Arg64(1, 0x1_0000_0003, "fd")
            .Subject64(501, 0, 20, 501, 20, 4242)
            .Return64(0, 1L << 40), milliseconds: 250_000_000, wide: true, machine: IPAddress.Parse("2001:db8::7"));

        Assert.True(BsmRecord.TryRead(bytes, out var record));

        Assert.Equal((23, 1_700_000_000L, 250), (record.EventType, record.Seconds, record.Milliseconds));
        Assert.Equal(new BsmSubject(true, 501, 0, 20, 501, 20, 4242, 0), record.Subject);
        Assert.Equal(new BsmAttributes(true, 0x81ed, 0, 7), record.Attributes);
        Assert.Equal(((ulong?)null, (ulong?)0x1_0000_0003), (record.Arg0, record.Arg1));
        Assert.Equal((0, 1L << 40), (record.ReturnError, record.ReturnValue));
        Assert.Equal(8, record.TokenCount);
    }

    [Fact]
    public void Ipv6_sockets_identity_exit_and_expanded_in_addr_are_read()
    {
        var bytes = BsmTrailWriter.RecordBytes(32, 1, tokens => tokens
            .SockInet(IPAddress.Parse("2001:db8::1"), 443)
            .SubjectEx(501, 501, 20, 501, 20, 77, IPAddress.Parse("fe80::1"), wide: true)
            .InAddr(IPAddress.Parse("::1"))
            .Identity("com.apple.curl", "", [1, 2, 3])
            .Exit(9, -1)
            .Zonename("jail1"));

        Assert.True(BsmRecord.TryRead(bytes, out var record));

        Assert.Equal((BsmAddress.AfInet6, 443, "2001:db8::1"), (record.Socket.Family, record.Socket.Port, new IPAddress(record.Socket.Address).ToString()));
        Assert.Equal(77u, record.Subject.Pid);
        Assert.Equal("::1", new IPAddress(record.InAddress).ToString());
        Assert.Equal(("com.apple.curl", ""), (Text(record.SigningId), Text(record.TeamId)));
        Assert.Equal((9, -1), (record.ExitStatus, record.ExitReturn));
        Assert.Equal("jail1", Text(record.Zonename));
    }

    [Fact]
    public void An_unknown_token_ends_the_reading_of_its_record_which_still_reads()
    {
        var bytes = BsmTrailWriter.RecordBytes(23, 1, tokens => tokens
            .Path("/bin/true")
            .Byte(0xc7).Bytes([1, 2, 3, 4, 5])
            .Text("after"));

        Assert.True(BsmRecord.TryRead(bytes, out var record));

        Assert.Equal((0xc7, "/bin/true", ""), (record.UnknownToken, Text(record.Path), Text(record.Text)));
        Assert.Equal(3, record.TokenCount);
    }

    [Fact]
    public void A_token_running_past_the_trailer_or_a_wrong_trailer_is_no_record()
    {
        var overrun = BsmTrailWriter.RecordBytes(23, 1, tokens => tokens.Byte(0x23).UInt16(400).Bytes(Encoding.ASCII.GetBytes("/bin")));
        var trailer = BsmTrailWriter.RecordBytes(23, 1, tokens => tokens.Path("/bin/true"));
        trailer[^5] = 0x06;
        var count = BsmTrailWriter.RecordBytes(23, 1, tokens => tokens.Path("/bin/true"));
        count[^1]++;

        Assert.False(BsmRecord.TryRead(overrun, out _));
        Assert.False(BsmRecord.TryRead(trailer, out _));
        Assert.False(BsmRecord.TryRead(count, out _));
        Assert.False(BsmRecord.TryRead(overrun.AsSpan(0, 20), out _));
    }

    [Fact]
    public void Exec_arguments_counting_more_strings_than_the_token_holds_are_no_record()
    {
        var bytes = BsmTrailWriter.RecordBytes(23, 1, tokens => tokens.Byte(0x3c).UInt32(1_000_000).Bytes(Encoding.ASCII.GetBytes("ls\0-l\0")));

        Assert.False(BsmRecord.TryRead(bytes, out _));
    }

    [Theory]
    [InlineData(23, "AUE_EXECVE", "execve", BsmEventKind.Exec)]
    [InlineData(43190, "AUE_POSIX_SPAWN", "posix_spawn", BsmEventKind.Exec)]
    [InlineData(2, "AUE_FORK", "fork", BsmEventKind.Fork)]
    [InlineData(1, "AUE_EXIT", "exit", BsmEventKind.Exit)]
    [InlineData(32, "AUE_CONNECT", "connect", BsmEventKind.Connect)]
    [InlineData(43207, "AUE_BINDAT", "bindat", BsmEventKind.Bind)]
    [InlineData(33, "AUE_ACCEPT", "accept", BsmEventKind.Accept)]
    [InlineData(45000, "AUE_audit_startup", "AUE_audit_startup", BsmEventKind.Other)]
    [InlineData(6168, "AUE_shutdown", "AUE_shutdown", BsmEventKind.Other)]
    [InlineData(44901, "AUE_SESSION_START", "AUE_SESSION_START", BsmEventKind.Other)]
    [InlineData(43273, "AUE_PDRFORK", "pdrfork", BsmEventKind.Fork)]
    [InlineData(65000, "65000", "65000", BsmEventKind.Other)]
    public void Event_numbers_have_the_names_of_the_shipped_table(int number, string name, string syscall, BsmEventKind kind)
    {
        Assert.Equal((name, syscall, kind), (BsmEvents.Name(number), BsmEvents.Syscall(number), BsmEvents.Kind(number)));
    }
}
