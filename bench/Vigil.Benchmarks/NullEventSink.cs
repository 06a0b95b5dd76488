using Vigil.Events;

namespace Vigil.Benchmarks;

/// <summary>Counts events and drops them, so reassembly is measured alone.</summary>
internal sealed class NullEventSink : IAuditEventSink
{
    public long Events { get; private set; }

    public void OnEvent(AuditEvent auditEvent) => Events++;
}
