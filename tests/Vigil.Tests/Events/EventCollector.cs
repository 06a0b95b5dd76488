using System.Text;
using Vigil.Events;
using Vigil.KernelAbi;

namespace Vigil.Tests.Events;

/// <summary>An event sink that copies each event out, as a real sink must, since instances are reused.</summary>
internal sealed class EventCollector : IAuditEventSink
{
    public List<EventCopy> Events { get; } = [];

    public void OnEvent(AuditEvent auditEvent)
    {
        var types = new List<string>();
        var bodies = new List<string>();
        for (var i = 0; i < auditEvent.RecordCount; i++)
        {
            types.Add(RecordType.GetName(auditEvent.GetRecordType(i)));
            bodies.Add(Encoding.UTF8.GetString(auditEvent.GetBody(i)));
        }

        Events.Add(new EventCopy(
            auditEvent.Serial,
            Encoding.UTF8.GetString(auditEvent.Node),
            auditEvent.TimeMilliseconds,
            string.Join(",", types),
            bodies,
            ExecveArguments.JoinCommandLine(auditEvent)));
    }

    /// <summary>"serial:TYPE,TYPE" for each event, in emission order.</summary>
    public string[] Summary() => [.. Events.Select(e => $"{e.Serial}:{e.Types}")];
}

internal sealed record EventCopy(uint Serial, string Node, long TimeMilliseconds, string Types, List<string> Bodies, string CommandLine);
