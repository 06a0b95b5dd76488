using System.Runtime.InteropServices;
using Vigil.Platform;

namespace Vigil.Netlink;

/// <summary>
/// One netlink dump (NLM_F_DUMP) on a socket of its own, read to its NLMSG_DONE: what the routes table asks
/// NETLINK_ROUTE for. Every message of every datagram is looked at, because the kernel may append NLMSG_DONE to the
/// datagram that carries the last messages.
/// </summary>
public static class NetlinkDump
{
    /// <summary>How long one receive may wait: osquery's routes table gives the kernel the same 5 s.</summary>
    private const int TimeoutMilliseconds = 5000;

    /// <summary>Larger than any dump datagram: the kernel fills at most max(32 KiB, a page) per receive.</summary>
    private const int DatagramBytes = 64 * 1024;

    /// <summary>NLM_F_ROOT | NLM_F_MATCH (include/uapi/linux/netlink.h): every object, not one.</summary>
    private const ushort NLM_F_DUMP = 0x300;

    private static int _sequence;

    /// <summary>
    /// Sends a <paramref name="type"/> request carrying <paramref name="payload"/> on a new <paramref name="protocol"/>
    /// socket and returns each answering message as its type and a copy of its payload, in the kernel's order.
    /// Throws <see cref="AuditNetlinkException"/> when a call fails, the kernel answers with an error or no answer
    /// comes within 5 s.
    /// </summary>
    public static unsafe List<(ushort Type, byte[] Payload)> Run(int protocol, ushort type, ReadOnlySpan<byte> payload)
    {
        using var socket = NetlinkSocketHandle.Open(protocol);
        var timeout = new Libc.TimeVal { tv_sec = TimeoutMilliseconds / 1000 };
        if (Libc.setsockopt(socket, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, &timeout, (uint)sizeof(Libc.TimeVal)) != 0)
        {
            AuditNetlinkException.ThrowLastError("setsockopt(SO_RCVTIMEO)");
        }

        var sequence = (uint)Interlocked.Increment(ref _sequence);
        socket.SendRequest(type, NlMsgHdr.NLM_F_REQUEST | NLM_F_DUMP, sequence, payload, $"netlink dump {type}");

        var messages = new List<(ushort Type, byte[] Payload)>();
        var buffer = new byte[DatagramBytes];
        while (true)
        {
            var received = Receive(socket, buffer);
            var reader = new NetlinkMessageReader(buffer.AsSpan(0, received));
            while (reader.TryRead(out var message))
            {
                if (message.Sequence != sequence)
                {
                    continue;
                }

                switch (message.Type)
                {
                    case NlMsgHdr.NLMSG_DONE:
                        return messages;
                    case NlMsgHdr.NLMSG_ERROR:
                        var errno = message.Payload.Length >= 4 ? -MemoryMarshal.Read<int>(message.Payload) : 0;
                        AuditNetlinkException.Throw($"netlink dump {type}", errno);
                        break;
                    default:
                        messages.Add((message.Type, message.Payload.ToArray()));
                        break;
                }
            }
        }
    }

    /// <summary>One datagram from the kernel (messages from any other port are skipped).</summary>
    private static unsafe int Receive(NetlinkSocketHandle socket, byte[] buffer)
    {
        while (true)
        {
            SockAddrNl sender;
            var senderLength = (uint)sizeof(SockAddrNl);
            nint received;
            fixed (byte* bytes = buffer)
            {
                received = Libc.recvfrom(socket, bytes, (nuint)buffer.Length, 0, &sender, &senderLength);
            }

            if (received >= 0)
            {
                if (sender.nl_pid == 0)
                {
                    return (int)received;
                }

                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EINTR)
            {
                AuditNetlinkException.Throw("netlink dump (recvfrom)", errno);
            }
        }
    }
}
