using Vigil.Flags;
using Vigil.Sql;

namespace Vigil.Remote;

/// <summary>What the flags ask of osquery's remote API client: the server, the credentials, each plugin's endpoint and pace.</summary>
public sealed record RemoteSettings
{
    public string Hostname { get; init; } = "";

    public string ServerCerts { get; init; } = "";

    public string ClientCert { get; init; } = "";

    public string ClientKey { get; init; } = "";

    public bool AcceptGzip { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(16);

    public string EnrollEndpoint { get; init; } = "";

    public string EnrollSecretPath { get; init; } = "";

    public string EnrollSecretEnv { get; init; } = "";

    public bool EnrollAlways { get; init; }

    public bool DisableReenrollment { get; init; }

    public int EnrollMaxAttempts { get; init; } = 12;

    public TimeSpan EnrollMaxInterval { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>The <c>--host_identifier</c> value sent at enrollment, already resolved.</summary>
    public string HostIdentifier { get; init; } = Environment.MachineName;

    public bool ConfigTls { get; init; }

    public string ConfigEndpoint { get; init; } = "";

    public int ConfigMaxAttempts { get; init; } = 3;

    public long ConfigRefresh { get; init; }

    public long ConfigAcceleratedRefresh { get; init; } = 300;

    public bool LoggerTls { get; init; }

    public string LoggerEndpoint { get; init; } = "";

    public long LoggerPeriod { get; init; } = 4;

    public int LoggerMaxLines { get; init; } = 1024;

    public long LoggerMaxLineSize { get; init; } = 1024 * 1024;

    public bool LoggerCompress { get; init; }

    public long LoggerBackoffMax { get; init; } = 3600;

    public long BufferedLogMax { get; init; } = 1_000_000;

    public bool Distributed { get; init; }

    public long DistributedInterval { get; init; } = 60;

    public string DistributedReadEndpoint { get; init; } = "";

    public string DistributedWriteEndpoint { get; init; } = "";

    public int DistributedMaxAttempts { get; init; } = 3;

    public QueryBudget Budget { get; init; } = new(TimeSpan.FromSeconds(60), 100_000, 16 * 1024 * 1024);

    /// <summary>Whether any plugin talks to the server.</summary>
    public bool Enabled => ConfigTls || LoggerTls || Distributed;

    /// <summary>
    /// Reads the settings; throws <see cref="FlagException"/> naming the flag when a plugin that is on lacks what it
    /// needs (the hostname, its endpoint, an enroll endpoint).
    /// </summary>
    public static RemoteSettings FromFlags(FlagValues flags, string hostIdentifier)
    {
        var loggers = flags.Get(VigilFlags.LoggerPlugin).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var settings = new RemoteSettings
        {
            Hostname = flags.Get(VigilFlags.TlsHostname),
            ServerCerts = flags.Get(VigilFlags.TlsServerCerts),
            ClientCert = flags.Get(VigilFlags.TlsClientCert),
            ClientKey = flags.Get(VigilFlags.TlsClientKey),
            AcceptGzip = flags.Get(VigilFlags.TlsAcceptGzip),
            RequestTimeout = TimeSpan.FromSeconds(Math.Max(1, flags.Get(VigilFlags.TlsRequestTimeout))),
            EnrollEndpoint = flags.Get(VigilFlags.EnrollTlsEndpoint),
            EnrollSecretPath = flags.Get(VigilFlags.EnrollSecretPath),
            EnrollSecretEnv = flags.Get(VigilFlags.EnrollSecretEnv),
            EnrollAlways = flags.Get(VigilFlags.EnrollAlways),
            DisableReenrollment = flags.Get(VigilFlags.DisableReenrollment),
            EnrollMaxAttempts = Attempts(flags.Get(VigilFlags.TlsEnrollMaxAttempts)),
            EnrollMaxInterval = TimeSpan.FromSeconds(Math.Max(1, flags.Get(VigilFlags.TlsEnrollMaxInterval))),
            HostIdentifier = hostIdentifier,
            ConfigTls = flags.Get(VigilFlags.ConfigPlugin) == "tls",
            ConfigEndpoint = flags.Get(VigilFlags.ConfigTlsEndpoint),
            ConfigMaxAttempts = Attempts(flags.Get(VigilFlags.ConfigTlsMaxAttempts)),
            ConfigRefresh = flags.Get(VigilFlags.ConfigRefresh),
            ConfigAcceleratedRefresh = Math.Max(1, flags.Get(VigilFlags.ConfigAcceleratedRefresh)),
            LoggerTls = Array.IndexOf(loggers, "tls") >= 0,
            LoggerEndpoint = flags.Get(VigilFlags.LoggerTlsEndpoint),
            LoggerPeriod = Math.Max(1, flags.Get(VigilFlags.LoggerTlsPeriod)),
            LoggerMaxLines = (int)Math.Clamp(flags.Get(VigilFlags.LoggerTlsMaxLines), 1, 1_000_000),
            LoggerMaxLineSize = flags.Get(VigilFlags.LoggerTlsMaxLinesize),
            LoggerCompress = flags.Get(VigilFlags.LoggerTlsCompress),
            LoggerBackoffMax = Math.Max(1, flags.Get(VigilFlags.LoggerTlsBackoffMax)),
            BufferedLogMax = flags.Get(VigilFlags.BufferedLogMax),
            Distributed = !flags.Get(VigilFlags.DisableDistributed),
            DistributedInterval = Math.Max(1, flags.Get(VigilFlags.DistributedInterval)),
            DistributedReadEndpoint = flags.Get(VigilFlags.DistributedTlsReadEndpoint),
            DistributedWriteEndpoint = flags.Get(VigilFlags.DistributedTlsWriteEndpoint),
            DistributedMaxAttempts = Attempts(flags.Get(VigilFlags.DistributedTlsMaxAttempts)),
            Budget = new QueryBudget(
                TimeSpan.FromSeconds(Math.Max(1, flags.Get(VigilFlags.RemoteQueryTimeLimit))),
                flags.Get(VigilFlags.RemoteQueryMaxRows),
                flags.Get(VigilFlags.RemoteQueryMaxBytes)),
        };
        settings.Validate();
        return settings;
    }

    private static int Attempts(long value) => (int)Math.Clamp(value, 1, 1000);

    private void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        Require(Hostname, VigilFlags.TlsHostname);
        Require(EnrollEndpoint, VigilFlags.EnrollTlsEndpoint);
        if (ConfigTls)
        {
            Require(ConfigEndpoint, VigilFlags.ConfigTlsEndpoint);
        }

        if (LoggerTls)
        {
            Require(LoggerEndpoint, VigilFlags.LoggerTlsEndpoint);
        }

        if (Distributed)
        {
            Require(DistributedReadEndpoint, VigilFlags.DistributedTlsReadEndpoint);
            Require(DistributedWriteEndpoint, VigilFlags.DistributedTlsWriteEndpoint);
        }

        if ((ClientCert.Length == 0) != (ClientKey.Length == 0))
        {
            throw new FlagException("--tls_client_cert and --tls_client_key go together");
        }
    }

    private static void Require(string value, Flag<string> flag)
    {
        if (value.Length == 0)
        {
            throw new FlagException($"--{flag.Name} is required by the tls plugins in use");
        }
    }
}
