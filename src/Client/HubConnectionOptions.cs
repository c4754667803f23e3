namespace FleetL4.Client;

/// <summary>
/// Where the hub API is and how to authenticate to it: <c>--hub</c> (a comma-separated list of URLs to fail over
/// between), <c>--cert</c>/<c>--key</c> (this member's or admin's client certificate, PEM) and <c>--ca</c> (the
/// fleet's CA, to trust the hub's certificate); each falls back to its FLEETL4_* environment variable.
/// </summary>
public sealed record HubConnectionOptions
{
    public const string DefaultHub = "http://127.0.0.1:30080";
    public const string HubVariable = "FLEETL4_HUB";
    public const string CertificateVariable = "FLEETL4_CERT";
    public const string KeyVariable = "FLEETL4_KEY";
    public const string CaVariable = "FLEETL4_CA";

    public IReadOnlyList<Uri> Hubs { get; init; } = [new(DefaultHub)];
    public string? CertificateFile { get; init; }
    public string? KeyFile { get; init; }
    public string? CaFile { get; init; }

    /// <summary>How long to wait for a TCP connection to one hub before trying the next.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The longest a call may take (a large batch included).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The given values, else the environment's, else the embedded hub on loopback.</summary>
    public static HubConnectionOptions Resolve(string? hub, string? certificate = null, string? key = null, string? ca = null)
    {
        var (cert, keyFile) = (Either(certificate, CertificateVariable), Either(key, KeyVariable));
        if ((cert is null) != (keyFile is null))
            throw new ArgumentException(cert is null ? "--cert: required with --key" : "--key: required with --cert");
        return new HubConnectionOptions
        {
            Hubs = ParseHubs(Either(hub, HubVariable) ?? DefaultHub, tls: cert is not null),
            CertificateFile = cert,
            KeyFile = keyFile,
            CaFile = Either(ca, CaVariable),
        };
    }

    /// <summary>Each URL of a comma-separated list; a bare HOST:PORT means https when a client certificate is given, else http.</summary>
    public static IReadOnlyList<Uri> ParseHubs(string hubs, bool tls = false)
    {
        var result = new List<Uri>();
        foreach (var part in hubs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var text = part.Contains("://", StringComparison.Ordinal) ? part : (tls ? "https://" : "http://") + part;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
                throw new ArgumentException($"--hub: \"{part}\" is not a hub URL such as {DefaultHub} or https://hub.example:30443");
            result.Add(uri);
        }
        return result.Count > 0 ? result : throw new ArgumentException("--hub: no hub URL given");
    }

    private static string? Either(string? given, string variable) =>
        !string.IsNullOrWhiteSpace(given) ? given : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } env ? env : null;
}
