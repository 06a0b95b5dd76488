namespace Vigil.Logging;

/// <summary>glog's severities, with glog's numbers (<c>--logger_min_status</c> takes them).</summary>
public enum StatusSeverity
{
    /// <summary>Informational (0).</summary>
    Info = 0,

    /// <summary>Warning (1).</summary>
    Warning = 1,

    /// <summary>Error (2).</summary>
    Error = 2,
}
