using System.Diagnostics;
using System.Text.Json;
using Vigil.Tests.Daemon;
using Xunit;

namespace Vigil.Tests.Remote;

/// <summary>
/// A <see cref="FleetTestServer"/> with a certificate authority made for the test, and a <see cref="DaemonHarness"/>
/// whose daemons talk to it with the flags of a typical fleet.flags (short periods, so the tests stay quick).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class FleetHarness : IAsyncDisposable
{
    public const string Secret = "vigil-test-enroll-secret-6f1c";

    public FleetHarness(bool audit, FleetTestServer? server = null)
    {
        Daemon = new DaemonHarness("{}") { Audit = audit };
        Certificates = new TestCertificates("Vigil Test CA");
        CaPath = Certificates.WriteAuthority(Path.Combine(Daemon.Directory, "ca.pem"));
        SecretPath = Path.Combine(Daemon.Directory, "secret");
        File.WriteAllText(SecretPath, Secret + "\n");
        File.SetUnixFileMode(SecretPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Server = server ?? new FleetTestServer(Certificates.Server(), Secret);
    }

    public DaemonHarness Daemon { get; }

    public TestCertificates Certificates { get; }

    public FleetTestServer Server { get; }

    public string CaPath { get; }

    public string SecretPath { get; }

    /// <summary>The flags of a Fleet-managed host, with periods of a second.</summary>
    public string[] Flags(params string[] extra) =>
    [
        $"--tls_hostname={Server.Hostname}", $"--tls_server_certs={CaPath}", $"--enroll_secret_path={SecretPath}",
        $"--enroll_tls_endpoint={FleetTestServer.EnrollPath}", "--config_plugin=tls", $"--config_tls_endpoint={FleetTestServer.ConfigPath}",
        "--config_refresh=1", "--logger_plugin=tls", $"--logger_tls_endpoint={FleetTestServer.LogPath}", "--logger_tls_period=1",
        "--logger_tls_backoff_max=2", "--disable_distributed=false", "--distributed_plugin=tls", "--distributed_interval=1",
        $"--distributed_tls_read_endpoint={FleetTestServer.ReadPath}", $"--distributed_tls_write_endpoint={FleetTestServer.WritePath}",
        "--tls_enroll_max_interval=1", "--host_identifier=specified", "--specified_identifier=vigil-test-host", .. extra,
    ];

    public Process Start(params string[] extra) => Daemon.Start(Flags(extra));

    /// <summary>Waits until <paramref name="done"/> holds, failing with the daemon's status log after <paramref name="seconds"/>.</summary>
    public void WaitFor(Func<bool> done, int seconds, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"{what} within {seconds} s; {Daemon.InfoLog}:\n{(File.Exists(Daemon.InfoLog) ? File.ReadAllText(Daemon.InfoLog) : "(missing)")}");
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>The value of <paramref name="column"/> in a result line of <paramref name="query"/>, or null.</summary>
    public static string? Column(JsonElement line, string query, string column) => DaemonHarness.Column(line, query, column);

    public async ValueTask DisposeAsync()
    {
        Daemon.Dispose();
        await Server.DisposeAsync();
        Certificates.Dispose();
    }
}
