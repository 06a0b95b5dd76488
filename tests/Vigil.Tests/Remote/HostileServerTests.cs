using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vigil.Flags;
using Vigil.Daemon;
using Vigil.Remote;
using Vigil.Schedule;
using Xunit;

namespace Vigil.Tests.Remote;

/// <summary>A server that answers garbage costs the client bounded memory and time, and each failure says what it was.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HostileServerTests : IAsyncLifetime
{
    private readonly TestCertificates _certificates = new("Vigil Hostile CA");
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-hostile-").FullName;
    private FleetTestServer _server = null!;
    private TlsTransport _transport = null!;

    public async Task InitializeAsync()
    {
        _server = new FleetTestServer(_certificates.Server(), "secret");
        await _server.StartAsync();
        _certificates.WriteAuthority(CaPath);
        _transport = Transport(TimeSpan.FromSeconds(2));
    }

    private string CaPath => Path.Combine(_dir, "ca.pem");

    public async Task DisposeAsync()
    {
        _transport.Dispose();
        await _server.DisposeAsync();
        _certificates.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void NotJson_IsAFailedRequest()
    {
        _server.Hostile = context => context.Response.WriteAsync("<html>oops</html>");
        Assert.StartsWith("/x: the answer is not JSON (17 bytes): ", Post().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeInvalid_WithHttp200_AndAnErrorKey_AreFailures_AsInOsquery()
    {
        _server.Hostile = context => context.Response.WriteAsync("""{"node_invalid": true}""");
        var invalid = Post();
        Assert.True(invalid.NodeInvalid);
        Assert.Equal("/x: the server does not know this node (node_invalid)", invalid.Message);

        _server.Hostile = context => context.Response.WriteAsync("""{"error": "boom"}""");
        var error = Post();
        Assert.False(error.NodeInvalid);
        Assert.Equal("/x: the server answered an error: boom", error.Message);
    }

    [Fact]
    public void A50MegabyteAnswer_IsCutAtTheLimit()
    {
        _server.Hostile = async context =>
        {
            var block = Encoding.ASCII.GetBytes(new string('a', 1 << 20));
            for (var i = 0; i < 50 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync(block, context.RequestAborted);
            }
        };
        Assert.Contains($"the configured maximum buffer size: {TlsTransport.MaxResponseBytes}", Post().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASlowlorisAnswer_EndsAtTheRequestTimeout()
    {
        _server.Hostile = async context =>
        {
            await context.Response.WriteAsync("{", context.RequestAborted);
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.WriteAsync(" ", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(200, context.RequestAborted);
            }
        };
        var clock = Stopwatch.StartNew();
        Assert.Equal("/x: no whole answer within 2 s", Post().Message);
        // The timeout's timer ticks on a coarser clock than the stopwatch: CI saw it fire at 1.9998 s.
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.9, 10);
    }

    [Fact]
    public void AConfigOf10000Queries_IsRead_WithinTheAnswerLimit()
    {
        var queries = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $$"""
            "q{{i}}": {"query": "SELECT {{i}} FROM processes WHERE pid = 1", "interval": 3600}
            """));
        var config = "{\"schedule\": {" + queries + "}}";
        _server.Hostile = context => context.Response.WriteAsync(config);
        // Its size, not its pace, is under test: a loaded machine gets the time it needs.
        using var patient = Transport(TimeSpan.FromSeconds(60));
        using var answer = patient.Post("/x", null, _ => { }, compress: false, CancellationToken.None);
        using var compiler = VigilDaemon.OpenEngine(null, FlagValues.Defaults);
        var check = ConfigLoader.Parse(answer.RootElement.GetRawText(), "served config", new ConfigCompiler(compiler));
        Assert.True(check.Ok, string.Join("; ", check.Errors.Take(3)));
        Assert.Equal(10_000, check.Config!.Schedule.Count);
    }

    private TlsTransport Transport(TimeSpan timeout) =>
        new(new RemoteSettings { Hostname = _server.Hostname, ServerCerts = CaPath, RequestTimeout = timeout });

    private RemoteException Post() =>
        Assert.Throws<RemoteException>(() => _transport.Post("/x", null, _ => { }, compress: false, CancellationToken.None).Dispose());}
