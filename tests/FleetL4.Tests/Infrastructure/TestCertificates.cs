using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FleetL4.Tests.Infrastructure;

/// <summary>
/// A fleet's certificates as PEM files in a temporary directory: a CA, the hub's server certificate for 127.0.0.1,
/// and client certificates (subject CN = a cluster or admin name) from that CA, from another CA, or expired.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _otherCa;

    public TestCertificates()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("fleetl4-certs-").FullName;
        _ca = Authority("FleetL4 test CA");
        _otherCa = Authority("Someone else's CA");
        CaFile = WritePem("ca.crt", _ca.ExportCertificatePem());
        OtherCaFile = WritePem("other-ca.crt", _otherCa.ExportCertificatePem());
        (ServerCertificateFile, ServerKeyFile) = Issue("hub", _ca, serverAuth: true, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public string Directory { get; }
    public string CaFile { get; }
    public string OtherCaFile { get; }
    public string ServerCertificateFile { get; }
    public string ServerKeyFile { get; }

    /// <summary>A client certificate with subject CN = <paramref name="name"/>, valid now, from the fleet's CA.</summary>
    public (string Certificate, string Key) Client(string name) =>
        Issue(name, _ca, serverAuth: false, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

    /// <summary>The same, from a CA the hub does not trust.</summary>
    public (string Certificate, string Key) ClientOfOtherCa(string name) =>
        Issue(name, _otherCa, serverAuth: false, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), "other-");

    /// <summary>The same, from the fleet's CA, but expired yesterday.</summary>
    public (string Certificate, string Key) ExpiredClient(string name) =>
        Issue(name, _ca, serverAuth: false, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1), "expired-");

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(365));
    }

    private (string Certificate, string Key) Issue(string name, X509Certificate2 issuer, bool serverAuth, DateTimeOffset from, DateTimeOffset to, string prefix = "")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(issuer, from, to, serial);
        var file = $"{prefix}{name}";
        return (WritePem($"{file}.crt", certificate.ExportCertificatePem()), WritePem($"{file}.key", key.ExportPkcs8PrivateKeyPem()));
    }

    private string WritePem(string file, string pem)
    {
        var path = Path.Combine(Directory, file);
        File.WriteAllText(path, pem);
        return path;
    }
}
