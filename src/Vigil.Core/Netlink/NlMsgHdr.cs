using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Vigil.Netlink;

/// <summary><c>struct nlmsghdr</c> (include/uapi/linux/netlink.h:52), 16 bytes, host (little) endian.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NlMsgHdr
{
    /// <summary>NLMSG_HDRLEN: the header size, already 4-aligned.</summary>
    public const int Size = 16;

    /// <summary>NLM_F_REQUEST (netlink.h:62).</summary>
    public const ushort NLM_F_REQUEST = 0x01;

    /// <summary>NLM_F_MULTI (netlink.h:63).</summary>
    public const ushort NLM_F_MULTI = 0x02;

    /// <summary>NLM_F_ACK (netlink.h:64).</summary>
    public const ushort NLM_F_ACK = 0x04;

    /// <summary>NLMSG_NOOP (netlink.h:112).</summary>
    public const ushort NLMSG_NOOP = 0x1;

    /// <summary>NLMSG_ERROR (netlink.h:113): payload is <c>struct nlmsgerr</c>, error 0 is an ACK.</summary>
    public const ushort NLMSG_ERROR = 0x2;

    /// <summary>NLMSG_DONE (netlink.h:114): end of a multipart dump.</summary>
    public const ushort NLMSG_DONE = 0x3;

    /// <summary>NLMSG_OVERRUN (netlink.h:115).</summary>
    public const ushort NLMSG_OVERRUN = 0x4;

    /// <summary>NLMSG_MIN_TYPE (netlink.h:117): types below are netlink control messages.</summary>
    public const ushort NLMSG_MIN_TYPE = 0x10;

    public uint nlmsg_len;
    public ushort nlmsg_type;
    public ushort nlmsg_flags;
    public uint nlmsg_seq;
    public uint nlmsg_pid;

    /// <summary>NLMSG_ALIGN: rounds up to the 4-byte netlink alignment.</summary>
    public static int Align(int length) => (length + 3) & ~3;

    /// <summary>Writes the header at the start of <paramref name="destination"/>.</summary>
    public readonly void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, nlmsg_len);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], nlmsg_type);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], nlmsg_flags);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], nlmsg_seq);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], nlmsg_pid);
    }

    /// <summary>Reads a header from the start of <paramref name="source"/>, which holds at least <see cref="Size"/> bytes.</summary>
    public static NlMsgHdr Read(ReadOnlySpan<byte> source) => new()
    {
        nlmsg_len = BinaryPrimitives.ReadUInt32LittleEndian(source),
        nlmsg_type = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]),
        nlmsg_flags = BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
        nlmsg_seq = BinaryPrimitives.ReadUInt32LittleEndian(source[8..]),
        nlmsg_pid = BinaryPrimitives.ReadUInt32LittleEndian(source[12..]),
    };
}
