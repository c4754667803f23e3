using System.Security.Cryptography.X509Certificates;

namespace FleetL4.HubApi;

/// <summary>Certificates as the fleet hands them out: a PEM certificate file and a PEM key file.</summary>
public static class PemCertificate
{
    /// <summary>The certificate with its key, re-imported so that TLS can use the key on every platform.</summary>
    public static X509Certificate2 Load(string certificateFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
