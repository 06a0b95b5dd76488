using System.Runtime.CompilerServices;
using Vigil.Platform;

namespace Vigil.Netlink;

/// <summary>
/// Room for the datagrams one recvmmsg call receives from an audit socket, each in a slot that holds any single
/// record, with the headers the call fills; pinned once, so a receive allocates nothing.
/// Not thread-safe: one reader owns it.
/// </summary>
public sealed unsafe class DatagramBatch
{
    private readonly byte[] _slots;
    private readonly Libc.MMsgHdr[] _headers;
    private readonly Libc.IoVec[] _vectors;
    private readonly SockAddrNl[] _senders;
    private readonly int[] _kept;

    /// <summary>A batch of up to <paramref name="capacity"/> datagrams of at most <paramref name="slotBytes"/> each.</summary>
    public DatagramBatch(int capacity, int slotBytes = AuditClient.RecordBufferBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotBytes, 1);
        Capacity = capacity;
        SlotBytes = slotBytes;
        _slots = GC.AllocateUninitializedArray<byte>(capacity * slotBytes, pinned: true);
        _headers = GC.AllocateArray<Libc.MMsgHdr>(capacity, pinned: true);
        _vectors = GC.AllocateArray<Libc.IoVec>(capacity, pinned: true);
        _senders = GC.AllocateArray<SockAddrNl>(capacity, pinned: true);
        _kept = new int[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _vectors[i] = new Libc.IoVec { iov_base = Unsafe.AsPointer(ref _slots[i * slotBytes]), iov_len = (nuint)slotBytes };
            _headers[i].msg_hdr = new Libc.MsgHdr
            {
                msg_name = Unsafe.AsPointer(ref _senders[i]),
                msg_iov = (Libc.IoVec*)Unsafe.AsPointer(ref _vectors[i]),
                msg_iovlen = 1,
            };
        }
    }

    /// <summary>The most datagrams one receive takes.</summary>
    public int Capacity { get; }

    /// <summary>The size of each slot; a longer datagram is cut to it.</summary>
    public int SlotBytes { get; }

    /// <summary>Datagrams the last receive took from the socket, the kernel's and others'.</summary>
    public int Received { get; private set; }

    /// <summary>The kernel's datagrams of the last receive, in the order they came.</summary>
    public int Count { get; private set; }

    /// <summary>The <paramref name="index"/>th of the kernel's datagrams.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var slot = _kept[index];
            return _slots.AsSpan(slot * SlotBytes, (int)_headers[slot].msg_len);
        }
    }

    /// <summary>The headers for the next call, whose address lengths the last one overwrote.</summary>
    internal Libc.MMsgHdr* Prepare()
    {
        for (var i = 0; i < Capacity; i++)
        {
            _headers[i].msg_hdr.msg_namelen = (uint)sizeof(SockAddrNl);
        }

        Received = 0;
        Count = 0;
        return (Libc.MMsgHdr*)Unsafe.AsPointer(ref _headers[0]);
    }

    /// <summary>Keeps the kernel's of the <paramref name="received"/> datagrams; returns how many others were dropped.</summary>
    internal int Keep(int received)
    {
        Received = received;
        var count = 0;
        for (var i = 0; i < received; i++)
        {
            if (_senders[i].nl_pid == 0)
            {
                _kept[count++] = i;
            }
        }

        Count = count;
        return received - count;
    }
}
