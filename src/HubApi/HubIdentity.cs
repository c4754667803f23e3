using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace FleetL4.HubApi;

/// <summary>
/// Turns a connection into a <see cref="HubCaller"/>. With TLS every caller must present a client certificate the
/// fleet's CA issued and that is valid now; its subject CN is the identity. Without TLS (loopback only) every
/// caller is the local admin. The TLS layer accepts any certificate so that a refusal can say why, here.
/// </summary>
public sealed class HubIdentity
{
    private readonly CertificateTrust? _trust;
    private readonly IReadOnlySet<string> _admins;
    private readonly TimeProvider _clock;
    // One check per connection's certificate, not per call.
    private readonly ConditionalWeakTable<X509Certificate2, Result> _checked = [];

    public HubIdentity(HubTlsOptions tls, TimeProvider? clock = null)
    {
        _trust = tls.Enabled && tls.ClientCaFile is { } ca ? new CertificateTrust(ca, clock) : null;
        _admins = tls.Admins;
        _clock = clock ?? TimeProvider.System;
    }

    public bool RequiresCertificates => _trust is not null;

    /// <summary>The caller, or why it is not authenticated.</summary>
    public (HubCaller? Caller, string? Error) Resolve(HttpContext http)
    {
        if (_trust is null) return (HubCaller.Loopback, null);
        if (http.Connection.ClientCertificate is not { } certificate) return (null, "a client certificate issued by the fleet's CA is required");
        var result = _checked.GetValue(certificate, c => _trust.Check(c, CertificateTrust.ClientAuthentication) is { } error
            ? new Result(null, error)
            : new Result(new HubCaller(CertificateTrust.CommonName(c), _admins.Contains(CertificateTrust.CommonName(c))), null));
        // A connection outliving its certificate is refused from then on.
        if (result.Caller is not null && _clock.GetUtcNow() > certificate.NotAfter.ToUniversalTime())
            return (null, $"certificate {certificate.Subject} expired at {certificate.NotAfter.ToUniversalTime():u}");
        return (result.Caller, result.Error);
    }

    private sealed record Result(HubCaller? Caller, string? Error);
}
