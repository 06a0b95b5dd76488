using Vigil.Logging;
using Vigil.Remote;

namespace Vigil.Daemon;

/// <summary>The loggers made before the daemon starts, because its status log writes to them too: syslog, and the remote client's TLS logger.</summary>
public sealed record DaemonLoggers
{
    /// <summary>The syslog logger, when <c>--logger_plugin</c> lists syslog.</summary>
    public SyslogLogger? Syslog { get; init; }

    /// <summary>The remote API client, when a tls plugin is on.</summary>
    public RemoteClient? Remote { get; init; }
}
