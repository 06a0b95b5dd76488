namespace Vigil.Bpf;

/// <summary>Where <see cref="BpfRingReader"/> delivers records, on its reading thread.</summary>
public interface IBpfRecordSink
{
    /// <summary>One well-formed record; valid only during the call.</summary>
    void OnRecord(in BpfRecord record);
}
