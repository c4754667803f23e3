using System.Security.Cryptography;
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

    /// <summary>Client authentication (1.3.6.1.5.5.7.3.2): what a member's or admin's certificate must be for.</summary>
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    /// <summary>Server authentication (1.3.6.1.5.5.7.3.1): what the hub's certificate must be for.</summary>
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>
    /// Null when <paramref name="certificate"/> chains to one of the CAs, is valid now and may be used for
    /// <paramref name="purpose"/> (a certificate without extended key usage may be used for any); else why not.
    /// </summary>
    public string? Check(X509Certificate2 certificate, Oid purpose)
    {
        var now = _clock.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime()) return $"certificate {certificate.Subject} is not valid before {certificate.NotBefore.ToUniversalTime():u}";
        if (now > certificate.NotAfter.ToUniversalTime()) return $"certificate {certificate.Subject} expired at {certificate.NotAfter.ToUniversalTime():u}";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(purpose);
        if (chain.Build(certificate)) return null;
        if (chain.ChainStatus.Any(s => s.Status == X509ChainStatusFlags.NotValidForUsage))
            return $"certificate {certificate.Subject} is not for {purpose.FriendlyName?.ToLowerInvariant()} (extended key usage)";
        var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"certificate {certificate.Subject} is not issued by the fleet's CA ({why})";
    }

    /// <summary>The subject's common name: a member's cluster name, or an admin's name.</summary>
    public static string CommonName(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
}
