namespace Vigil.Bpf;

/// <summary>The BPF backend cannot run here; the message says why in one line (no BTF, no permission, no libbpf).</summary>
public sealed class BpfException(string message) : Exception(message);
