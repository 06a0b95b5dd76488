using System.Runtime.InteropServices;
using Vigil.Platform;

namespace Vigil.Bpf;

/// <summary>
/// Reads the BPF ring buffer through libbpf's <c>ring_buffer__poll</c>, which hands each record to a static callback
/// as a pointer into the shared pages: the record is read in place and passed on as a span, with no allocation per
/// record. Like <see cref="Sources.KernelSource"/>, after draining it sleeps a gather time, so that at high rates
/// it wakes about 1000 / gather times a second rather than once per record.
/// </summary>
public sealed unsafe class BpfRingReader : IDisposable
{
    /// <summary>
    /// The gather time of the BPF source: shorter than the audit socket's, as the ring buffer (4 MiB, fixed when the
    /// programs load) drops what does not fit instead of growing.
    /// </summary>
    public static readonly TimeSpan DefaultGather = TimeSpan.FromMilliseconds(20);

    private const int PollMilliseconds = 200;

    private readonly IBpfRecordSink _sink;
    private readonly int _gatherMilliseconds;
    private GCHandle _self;
    private nint _ring;
    private long _records;
    private long _malformed;
    private Exception? _failure;

    /// <summary>A reader of the ring buffer map <paramref name="eventsFd"/> delivering to <paramref name="sink"/>.</summary>
    public BpfRingReader(int eventsFd, IBpfRecordSink sink, TimeSpan gather)
    {
        _sink = sink;
        _gatherMilliseconds = (int)gather.TotalMilliseconds;
        _self = GCHandle.Alloc(this);
        _ring = LibBpf.ring_buffer__new(eventsFd, &OnSample, GCHandle.ToIntPtr(_self), 0);
        if (_ring == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _self.Free();
            throw new BpfException($"opening the BPF ring buffer failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    /// <summary>Records handed to the sink.</summary>
    public long Records => Interlocked.Read(ref _records);

    /// <summary>Records shorter than their kind's layout, skipped.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>
    /// Reads until <paramref name="cancellation"/> is signalled, returning within about 200 ms of it;
    /// <paramref name="tick"/> runs on this thread about every 200 ms. A sink's exception ends the loop and is rethrown.
    /// </summary>
    public void Run(CancellationToken cancellation, Action? tick = null)
    {
        var nextTick = Environment.TickCount64 + PollMilliseconds;
        while (!cancellation.IsCancellationRequested)
        {
            var consumed = LibBpf.ring_buffer__poll(_ring, PollMilliseconds);
            if (_failure is { } failure)
            {
                throw new InvalidOperationException($"handling a BPF record failed: {failure.Message}", failure);
            }

            if (consumed < 0 && consumed != -4)
            {
                throw new BpfException($"reading the BPF ring buffer failed: {Marshal.GetPInvokeErrorMessage(-consumed)}");
            }

            if (consumed > 0 && _gatherMilliseconds > 0)
            {
                ThreadNap.Sleep(_gatherMilliseconds);
            }

            if (Environment.TickCount64 >= nextTick)
            {
                tick?.Invoke();
                nextTick = Environment.TickCount64 + PollMilliseconds;
            }
        }
    }

    /// <summary>Frees the ring buffer's mapping (before the programs and maps are unloaded).</summary>
    public void Dispose()
    {
        if (_ring != 0)
        {
            LibBpf.ring_buffer__free(_ring);
            _ring = 0;
            _self.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static int OnSample(nint context, byte* data, nuint size)
    {
        var reader = (BpfRingReader)GCHandle.FromIntPtr(context).Target!;
        try
        {
            if (BpfRecord.TryRead(new ReadOnlySpan<byte>(data, (int)size), out var record))
            {
                reader._records++;
                reader._sink.OnRecord(in record);
            }
            else
            {
                reader._malformed++;
            }

            return 0;
        }
        catch (Exception e)
        {
            // An exception may not cross the native frames of libbpf; it stops the poll and Run rethrows it.
            reader._failure = e;
            return -1;
        }
    }
}
