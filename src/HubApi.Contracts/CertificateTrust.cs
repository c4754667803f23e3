using System.Security.Cryptography.X509Certificates;

namespace FleetL4.HubApi;

/// <summary>
/// Trusts certificates issued by the CAs of one PEM file (the fleet's own CA), and no others: the hub checks
/// member certificates with it, members and tools check the hub's. The fleet's CA publishes no revocation list.
/// </summary>
public sealed class CertificateTrust
{
    private readonly X509Certificate2Collection _roots = [];
    private readonly TimeProvider _clock;

    public CertificateTrust(string caFile, TimeProvider? clock = null)
    {
        _roots.ImportFromPemFile(caFile);
        if (_roots.Count == 0) throw new ArgumentException($"{caFile} holds no PEM certificate", nameof(caFile));
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Null when <paramref name="certificate"/> chains to one of the CAs and is valid now; else why not.</summary>
    public string? Check(X509Certificate2 certificate)
    {
        var now = _clock.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime()) return $"certificate {certificate.Subject} is not valid before {certificate.NotBefore.ToUniversalTime():u}";
        if (now > certificate.NotAfter.ToUniversalTime()) return $"certificate {certificate.Subject} expired at {certificate.NotAfter.ToUniversalTime():u}";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        if (chain.Build(certificate)) return null;
        var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"certificate {certificate.Subject} is not issued by the fleet's CA ({why})";
    }

    /// <summary>The subject's common name: a member's cluster name, or an admin's name.</summary>
    public static string CommonName(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
}
