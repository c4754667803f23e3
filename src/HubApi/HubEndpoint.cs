using System.Net;

namespace FleetL4.HubApi;

/// <summary>Where a hub URL (Hub:ApiUrl, Hub:DashboardUrl) listens: a literal address, localhost, or every address (0.0.0.0, [::], *).</summary>
public static class HubEndpoint
{
    /// <summary>The socket address to bind, or an error naming what is wrong with the URL.</summary>
    public static (IPEndPoint? Endpoint, string? Error) Parse(string url)
    {
        // "*" is not a valid URI host; Kestrel's spelling is accepted as "every address".
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0)
            return (null, $"\"{url}\" is not an http:// or https:// URL of the form scheme://host:port");
        var port = uri.IsDefaultPort && !url.Contains($":{uri.Port}", StringComparison.Ordinal) ? -1 : uri.Port;
        if (port < 0) return (null, $"\"{url}\" names no port");
        var host = uri.Host.Trim('[', ']');
        if (host == "localhost") return (new IPEndPoint(IPAddress.Loopback, port), null);
        if (!IPAddress.TryParse(host, out var address)) return (null, $"\"{url}\": host must be an IP address, localhost, 0.0.0.0 or [::]");
        return (new IPEndPoint(address, port), null);
    }

    public static bool IsHttps(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static bool IsLoopback(IPEndPoint endpoint) => IPAddress.IsLoopback(endpoint.Address);
}
