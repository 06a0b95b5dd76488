namespace Vigil.Tables;

/// <summary>
/// Which socket events become rows, from osquery's flags: audit_allow_unix, audit_allow_failed_socket_events,
/// audit_allow_accept_socket_events and audit_allow_null_accept_socket_events, with osquery's defaults.
/// </summary>
public sealed record SocketEventsOptions
{
    /// <summary>Unix-domain sockets (audit_allow_unix, default false).</summary>
    public bool AllowUnix { get; init; }

    /// <summary>Failed bind/connect/accept calls (audit_allow_failed_socket_events, default false).</summary>
    public bool AllowFailed { get; init; }

    /// <summary>accept and accept4 (audit_allow_accept_socket_events, default true).</summary>
    public bool AllowAccept { get; init; } = true;

    /// <summary>Non-blocking accepts that found no client, status no_client (audit_allow_null_accept_socket_events, default false).</summary>
    public bool AllowNullAccept { get; init; }
}
