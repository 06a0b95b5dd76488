namespace Vigil.Logging;

/// <summary>The syslog logger's flags (<see cref="SyslogLogger"/>).</summary>
public sealed record SyslogOptions
{
    public string Path { get; init; } = "/dev/log";

    public long Facility { get; init; } = 19;

    public bool PrependCee { get; init; }

    public long MaxLineSize { get; init; } = 8192;
}
