using System.Text;
using Vigil.Netlink;
using Vigil.Sources;
using Xunit;

namespace Vigil.Tests.Netlink;

public class NetlinkMessageReaderTests
{
    private static byte[] Message(ushort type, uint seq, string payload, int lengthAdjust = 0)
    {
        var body = Encoding.ASCII.GetBytes(payload);
        var bytes = new byte[NlMsgHdr.Align(16 + body.Length)];
        new NlMsgHdr { nlmsg_len = (uint)(16 + body.Length + lengthAdjust), nlmsg_type = type, nlmsg_seq = seq }.Write(bytes);
        body.CopyTo(bytes, 16);
        return bytes;
    }

    [Fact]
    public void Walks_aligned_messages_of_one_datagram()
    {
        var datagram = Message(1013, 7, "abcde").Concat(Message(NlMsgHdr.NLMSG_DONE, 7, "")).ToArray();
        var reader = new NetlinkMessageReader(datagram);

        Assert.True(reader.TryRead(out var first));
        Assert.Equal(1013, first.Type);
        Assert.Equal(7u, first.Sequence);
        Assert.Equal("abcde", Encoding.ASCII.GetString(first.Payload));
        Assert.False(first.IsNetlinkControl);
        Assert.True(reader.TryRead(out var done));
        Assert.Equal(NlMsgHdr.NLMSG_DONE, done.Type);
        Assert.True(done.IsNetlinkControl);
        Assert.Equal(0, done.Payload.Length);
        Assert.False(reader.TryRead(out _));
        Assert.False(reader.Truncated);
    }

    [Fact]
    public void A_unicast_record_whose_length_omits_the_header_covers_the_datagram()
    {
        const string text = "audit(1795268247.756:1034): op=set audit_pid=11927 old=0 res=1";
        var datagram = Message(1305, 0, text, lengthAdjust: -16).AsSpan(0, 16 + text.Length).ToArray();
        var reader = new NetlinkMessageReader(datagram);

        Assert.True(reader.TryRead(out var record));
        Assert.Equal(text, Encoding.ASCII.GetString(record.Payload));
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void A_length_past_the_datagram_stops_reading()
    {
        var datagram = Message(1300, 0, "abc", lengthAdjust: 8);
        var reader = new NetlinkMessageReader(datagram);

        Assert.False(reader.TryRead(out _));
        Assert.True(reader.Truncated);
    }

    [Theory]
    [InlineData(1300, true)]
    [InlineData(1309, true)]
    [InlineData(1100, true)]
    [InlineData(1329, false)]
    [InlineData(1000, false)]
    [InlineData(1004, false)]
    [InlineData(1005, true)]
    [InlineData(1006, true)]
    [InlineData(1007, false)]
    [InlineData(1099, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    public void Only_record_types_reach_the_sink(int type, bool isRecord) =>
        Assert.Equal(isRecord, KernelSource.IsRecordType((ushort)type));
}
