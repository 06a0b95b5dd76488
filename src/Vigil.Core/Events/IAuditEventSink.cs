namespace Vigil.Events;

/// <summary>Receives complete events from the reassembler.</summary>
public interface IAuditEventSink
{
    /// <summary>
    /// A complete event. The reassembler reuses the instance after the call returns, so a sink that
    /// needs anything past the call copies it out (row builders turn it into strings and numbers).
    /// </summary>
    void OnEvent(AuditEvent auditEvent);
}
