namespace FleetL4.HubApi;

/// <summary>Section "Hub:Tls": the hub API's server certificate and the CA its members' client certificates come from.</summary>
public sealed class HubTlsOptions
{
    /// <summary>The hub's server certificate (PEM).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>Its private key (PEM).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The CA that issues member and admin client certificates (PEM): mutual TLS.</summary>
    public string? ClientCaFile { get; set; }

    /// <summary>Comma-separated certificate subject CNs with admin rights (virtual clusters, every cluster's objects).</summary>
    public string? AdminNames { get; set; }

    public bool Enabled => CertificateFile is not null || KeyFile is not null || ClientCaFile is not null;

    public IReadOnlySet<string> Admins =>
        (AdminNames ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
