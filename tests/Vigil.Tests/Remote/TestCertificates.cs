using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vigil.Tests.Remote;

/// <summary>A certificate authority made for one test run, and certificates it signs, written as PEM files when asked.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name)
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public X509Certificate2 Authority { get; }

    /// <summary>A server certificate for localhost and 127.0.0.1 signed by the authority, with its key.</summary>
    public X509Certificate2 Server() => Issue("CN=localhost", server: true);

    /// <summary>A client certificate signed by the authority, with its key.</summary>
    public X509Certificate2 Client() => Issue("CN=vigil-test-client", server: false);

    /// <summary>Writes the authority's certificate as PEM to <paramref name="path"/>.</summary>
    public string WriteAuthority(string path)
    {
        File.WriteAllText(path, Authority.ExportCertificatePem());
        return path;
    }

    /// <summary>Writes <paramref name="certificate"/> and its key as PEM files (the key 0600).</summary>
    public static (string Cert, string Key) Write(X509Certificate2 certificate, string directory, string name)
    {
        var cert = Path.Combine(directory, name + ".pem");
        var key = Path.Combine(directory, name + ".key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (cert, key);
    }

    public void Dispose()
    {
        Authority.Dispose();
        _caKey.Dispose();
    }

    private X509Certificate2 Issue(string subject, bool server)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(8);
        using var signed = request.Create(Authority, Authority.NotBefore, Authority.NotAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }
}
