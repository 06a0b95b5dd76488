using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Reflection;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Vigil.Remote;

/// <summary>
/// osquery's TLS transport: a POST of a JSON body to <c>https://--tls_hostname&lt;endpoint&gt;</c> over TLS 1.2 or newer,
/// the server's certificate checked against <c>--tls_server_certs</c> (or the system store), an optional client
/// certificate, gzip bodies on request. As in osquery the HTTP status is not looked at: the body decides, and a body
/// that is not a JSON object, says <c>node_invalid</c> or has an <c>error</c> key fails the request. Every request is
/// bounded: its whole exchange by the timeout, its response by <see cref="MaxResponseBytes"/> (after decompression).
/// </summary>
public sealed class TlsTransport : IDisposable
{
    /// <summary>The largest response read (a config of a few thousand queries is well under it).</summary>
    public const int MaxResponseBytes = 8 * 1024 * 1024;

    private static readonly string UserAgent = "osquery/" + (typeof(TlsTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0");
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private readonly HttpClient _client;
    private readonly string _baseUri;
    private readonly X509Certificate2Collection? _trusted;

    /// <summary>Prepares the client; throws <see cref="RemoteException"/> when a certificate or key file cannot be read.</summary>
    public TlsTransport(RemoteSettings settings)
    {
        _baseUri = "https://" + settings.Hostname;
        var ssl = new SslClientAuthenticationOptions { EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 };
        try
        {
            if (settings.ServerCerts.Length > 0)
            {
                _trusted = [];
                _trusted.ImportFromPemFile(settings.ServerCerts);
                if (_trusted.Count == 0)
                {
                    throw new RemoteException($"--tls_server_certs={settings.ServerCerts} holds no PEM certificate");
                }

                ssl.RemoteCertificateValidationCallback = ValidateAgainstBundle;
            }

            if (settings.ClientCert.Length > 0)
            {
                ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(settings.ClientCert, settings.ClientKey)];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new RemoteException($"cannot read the TLS certificates: {e.Message}", inner: e);
        }

        var handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            AutomaticDecompression = settings.AcceptGzip ? DecompressionMethods.GZip : DecompressionMethods.None,
            ConnectTimeout = settings.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseProxy = false,
        };
        _client = new HttpClient(handler) { Timeout = settings.RequestTimeout, MaxResponseContentBufferSize = MaxResponseBytes };
    }

    /// <summary>
    /// POSTs the JSON object <paramref name="writeBody"/> writes (gzipped when <paramref name="compress"/>) and returns
    /// the answer's document; throws <see cref="RemoteException"/> when the exchange fails or the answer is a failure.
    /// </summary>
    public JsonDocument Post(string endpoint, string? nodeKey, Action<Utf8JsonWriter> writeBody, bool compress, CancellationToken cancel)
    {
        var body = Body(writeBody, compress);
        using var request = new HttpRequestMessage(HttpMethod.Post, _baseUri + endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (compress)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.ParseAdd(UserAgent);
        if (nodeKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "NodeKey " + nodeKey);
        }

        byte[] answer;
        try
        {
            using var response = _client.Send(request, HttpCompletionOption.ResponseContentRead, cancel);
            answer = response.Content.ReadAsByteArrayAsync(cancel).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new RemoteException($"{endpoint}: no whole answer within {_client.Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new RemoteException($"{endpoint}: {Describe(e)}", inner: e);
        }

        return Parse(endpoint, answer);
    }

    private static byte[] Body(Action<Utf8JsonWriter> writeBody, bool compress)
    {
        var buffer = new MemoryStream();
        using (Stream target = compress ? new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true) : buffer)
        using (var writer = new Utf8JsonWriter(target))
        {
            writer.WriteStartObject();
            writeBody(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public void Dispose() => _client.Dispose();

    private static JsonDocument Parse(string endpoint, byte[] answer)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(answer, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new RemoteException($"{endpoint}: the answer is not JSON ({answer.Length} bytes): {e.Message}");
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new RemoteException($"{endpoint}: the answer is not a JSON object");
        }

        if (root.TryGetProperty("node_invalid", out var invalid) && invalid.ValueKind == JsonValueKind.True)
        {
            document.Dispose();
            throw new RemoteException($"{endpoint}: the server does not know this node (node_invalid)", nodeInvalid: true);
        }

        if (root.TryGetProperty("error", out var error))
        {
            var text = error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetRawText();
            document.Dispose();
            throw new RemoteException($"{endpoint}: the server answered an error: {Truncate(text)}");
        }

        return document;
    }

    private static string Truncate(string? text) => text is null ? "" : text.Length <= 200 ? text : text[..200] + "...";

    private static string Describe(HttpRequestException e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += ": " + inner.Message;
        }

        return message;
    }

    // Trusts exactly the bundle: the chain must end at one of its certificates (a self-signed server certificate
    // listed in it included), and the name must match the hostname.
    private bool ValidateAgainstBundle(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trusted!);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            for (var i = 1; i < chain.ChainElements.Count; i++)
            {
                custom.ChainPolicy.ExtraStore.Add(chain.ChainElements[i].Certificate);
            }
        }

        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
