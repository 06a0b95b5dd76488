namespace Vigil.Events;

/// <summary>Receives complete events from the reassembler.</summary>
public interface IAuditEventSink
{
    /// <summary>
    /// A complete event. The reassembler reuses the instance after the call returns, so a sink that
    /// needs anything past the call copies it out (row builders turn it into strings and numbers).
    /// </summary>
    void OnEvent(AuditEvent auditEvent);

    /// <summary>
    /// A complete event, which the sink may keep: it returns the instance the reassembler is to reuse instead, so a
    /// sink that hands events to another thread swaps in one it is done with rather than copying. By default it is
    /// <see cref="OnEvent"/>, keeping nothing.
    /// </summary>
    AuditEvent Take(AuditEvent auditEvent)
    {
        OnEvent(auditEvent);
        return auditEvent;
    }
}
