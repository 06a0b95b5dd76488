using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Vigil.Tests.Remote;

/// <summary>
/// A TLS server that answers osquery's remote API as Fleet does (server/service/osquery.go): the enroll secret is
/// checked and a node key handed out; every other call needs a known node key (in the body or the
/// <c>Authorization: NodeKey</c> header), else HTTP 401 with <c>{"error", "node_invalid": true}</c>; the config,
/// the log lines and the live queries and their answers are the test's to set and read. It can go down and come
/// back on the same port, hold log requests unanswered, forget its nodes, and answer as a hostile server would.
/// </summary>
internal sealed class FleetTestServer : IAsyncDisposable
{
    public const string EnrollPath = "/api/osquery/enroll";
    public const string ConfigPath = "/api/v1/osquery/config";
    public const string LogPath = "/api/v1/osquery/log";
    public const string ReadPath = "/api/v1/osquery/distributed/read";
    public const string WritePath = "/api/v1/osquery/distributed/write";

    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2? _clientAuthority;
    private readonly ConcurrentDictionary<string, string> _nodes = new();
    private readonly ConcurrentQueue<(string Id, string Sql, string? Discovery)> _pending = new();
    private readonly Lock _lock = new();
    private WebApplication? _app;
    private int _held;

    public FleetTestServer(X509Certificate2 certificate, string enrollSecret, X509Certificate2? clientAuthority = null)
    {
        _certificate = certificate;
        EnrollSecret = enrollSecret;
        _clientAuthority = clientAuthority;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public string Hostname => $"localhost:{Port}";

    public string EnrollSecret { get; }

    /// <summary>The config served, as JSON text.</summary>
    public string Config { get; set; } = "{}";

    /// <summary>Every enrollment request's body, in order.</summary>
    public ConcurrentQueue<JsonElement> Enrollments { get; } = new();

    /// <summary>Every log request accepted (or held): its log_type, its lines (raw JSON) and its size on the wire.</summary>
    public ConcurrentQueue<(string Type, IReadOnlyList<string> Lines, long WireBytes, bool Gzip)> LogRequests { get; } = new();

    /// <summary>Every distributed write's body, in order.</summary>
    public ConcurrentQueue<JsonElement> Writes { get; } = new();

    /// <summary>Every node key handed out.</summary>
    public ConcurrentQueue<string> IssuedKeys { get; } = new();

    /// <summary>Requests refused for an unknown node key.</summary>
    public int Unauthorized;

    /// <summary>While set, a log request of this type is recorded and then left unanswered until the connection drops.</summary>
    public string? HoldLogType { get; set; }

    /// <summary>Log requests held so far.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>What the server answers instead of Fleet's answers, for hostile-server tests; null for Fleet's.</summary>
    public Func<HttpContext, Task>? Hostile { get; set; }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = _certificate;
            if (_clientAuthority is not null)
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => certificate.Issuer == _clientAuthority.Subject;
            }
        })));
        var app = builder.Build();
        app.Run(Handle);
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Stops listening (connections are refused) until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await app.StopAsync(quick.Token);
            await app.DisposeAsync();
        }
    }

    /// <summary>Forgets every node key, as a Fleet whose host was deleted.</summary>
    public void ForgetNodes() => _nodes.Clear();

    /// <summary>Queues a live query for the next read.</summary>
    public void Ask(string id, string sql, string? discovery = null) => _pending.Enqueue((id, sql, discovery));

    /// <summary>The result lines received, in arrival order, parsed.</summary>
    public List<JsonElement> Results()
    {
        var lines = new List<JsonElement>();
        foreach (var request in LogRequests)
        {
            if (request.Type == "result")
            {
                foreach (var line in request.Lines)
                {
                    lines.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
            }
        }

        return lines;
    }

    /// <summary>The status messages received, in arrival order.</summary>
    public List<string> StatusMessages()
    {
        var messages = new List<string>();
        foreach (var request in LogRequests)
        {
            if (request.Type == "status")
            {
                foreach (var line in request.Lines)
                {
                    messages.Add(JsonDocument.Parse(line).RootElement.GetProperty("message").GetString()!);
                }
            }
        }

        return messages;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task Handle(HttpContext context)
    {
        if (Hostile is { } hostile)
        {
            await hostile(context);
            return;
        }

        var gzip = context.Request.Headers.ContentEncoding.ToString() == "gzip";
        var wire = new MemoryStream();
        await context.Request.Body.CopyToAsync(wire);
        var bytes = wire.ToArray();
        if (gzip)
        {
            using var inflated = new MemoryStream();
            using (var unzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
            {
                await unzip.CopyToAsync(inflated);
            }

            bytes = inflated.ToArray();
        }

        using var document = JsonDocument.Parse(bytes);
        var body = document.RootElement;
        var path = context.Request.Path.Value;
        if (path == EnrollPath)
        {
            Enrollments.Enqueue(body.Clone());
            if (body.GetProperty("enroll_secret").GetString() != EnrollSecret)
            {
                await Answer(context, 401, """{"error": "enroll failed: no matching secret found", "node_invalid": true}""");
                return;
            }

            var key = Guid.NewGuid().ToString("N");
            _nodes[key] = body.GetProperty("host_identifier").GetString()!;
            IssuedKeys.Enqueue(key);
            await Answer(context, 200, $$"""{"node_key": "{{key}}"}""");
            return;
        }

        var nodeKey = body.TryGetProperty("node_key", out var k) ? k.GetString() : null;
        var header = context.Request.Headers.Authorization.ToString();
        if (nodeKey is null || !_nodes.ContainsKey(nodeKey) || header != "NodeKey " + nodeKey)
        {
            Interlocked.Increment(ref Unauthorized);
            await Answer(context, 401, """{"error": "authentication error: invalid node key", "uuid": "test", "node_invalid": true}""");
            return;
        }

        switch (path)
        {
            case ConfigPath:
                await Answer(context, 200, Config);
                return;
            case LogPath:
                var type = body.GetProperty("log_type").GetString()!;
                var lines = body.GetProperty("data").EnumerateArray().Select(line => line.GetRawText()).ToList();
                LogRequests.Enqueue((type, lines, wire.Length, gzip));
                if (type == HoldLogType)
                {
                    Interlocked.Increment(ref _held);
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
                    return;
                }

                await Answer(context, 200, "{}");
                return;
            case ReadPath:
                await Answer(context, 200, Read());
                return;
            case WritePath:
                Writes.Enqueue(body.Clone());
                await Answer(context, 200, "{}");
                return;
            default:
                await Answer(context, 404, """{"error": "not found"}""");
                return;
        }
    }

    private string Read()
    {
        var queries = new Dictionary<string, string>();
        var discovery = new Dictionary<string, string>();
        while (_pending.TryDequeue(out var query))
        {
            queries[query.Id] = query.Sql;
            if (query.Discovery is not null)
            {
                discovery[query.Id] = query.Discovery;
            }
        }

        return JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>> { ["queries"] = queries, ["discovery"] = discovery }, FleetJson.Default.DictionaryStringDictionaryStringString);
    }

    private static async Task Answer(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, Encoding.UTF8);
    }
}
