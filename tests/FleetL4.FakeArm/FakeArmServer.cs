using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace FleetL4.FakeArm;

/// <summary>
/// A protocol-level fake of Azure Resource Manager for Microsoft.Network (public IPs, Standard load balancers,
/// IP-based backend pools), served over HTTPS on 127.0.0.1 in the calling process. It behaves as ARM and NRP do
/// where a client can tell: bearer auth, api-versions, long-running operations polled through Azure-AsyncOperation,
/// etags with If-Match/If-None-Match, NRP's validation and limits, the 5-minute write budget with 429 + Retry-After,
/// and the cancellation of an earlier write when two overlap on one resource. It records what a good client never
/// does (<see cref="Violations"/>) and lets a test inject faults (<see cref="Inject"/>) and change resources behind
/// the client's back (<see cref="MutatePool"/>).
/// </summary>
public sealed class FakeArmServer : IAsyncDisposable
{
    private readonly FakeArmOptions _options;
    private readonly ResourceManager _arm;
    private readonly TestCertificateAuthority _ca;
    private readonly string _caPemPath;
    private WebApplication? _app;

    private FakeArmServer(FakeArmOptions options, ResourceManager arm, TestCertificateAuthority ca, string caPemPath)
    {
        _options = options;
        _arm = arm;
        _ca = ca;
        _caPemPath = caPemPath;
    }

    /// <summary>The base address, https://127.0.0.1:PORT/ (what <c>FleetL4:Azure:Endpoint</c> points at).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The CA that signed the server certificate, as a PEM file (for <c>FleetL4:Azure:CaCertificateFile</c>).</summary>
    public string CaCertificatePemPath => _caPemPath;

    /// <summary>The bearer token every request must carry (for <c>FleetL4:Azure:StaticToken</c>).</summary>
    public string Token => _arm.Token;

    public string SubscriptionId => _options.SubscriptionId;

    public string Location => _options.Location;

    /// <summary>The first configured resource group.</summary>
    public string ResourceGroup => _options.ResourceGroups[0];

    /// <summary>The id of the configured virtual network (every backend address must reference it).</summary>
    public string VirtualNetworkId => _arm.Network.Id;

    public static async Task<FakeArmServer> StartAsync(FakeArmOptions? options = null)
    {
        options ??= new FakeArmOptions();
        options.Validate();
        var ca = TestCertificateAuthority.Create();
        var pemPath = Path.Combine(Path.GetTempPath(), $"fleetl4-fake-arm-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(pemPath, ca.CertificatePem());
        var server = new FakeArmServer(options, new ResourceManager(options, options.Token ?? Guid.NewGuid().ToString("N")), ca, pemPath);
        try
        {
            await server.ListenAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>The id of a configured subnet, e.g. "internal-lb" (internal frontends reference it).</summary>
    public string SubnetId(string name) =>
        _arm.Network.Subnets.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Id
        ?? throw new ArgumentException($"no subnet '{name}' in the fake's virtual network", nameof(name));

    public string ResourceGroupId(string? resourceGroup = null) => $"/subscriptions/{SubscriptionId}/resourceGroups/{resourceGroup ?? ResourceGroup}";

    public string PublicIpId(string name, string? resourceGroup = null) =>
        $"{ResourceGroupId(resourceGroup)}/providers/{ArmRoute.Namespace}/{ArmRoute.PublicIPAddresses}/{name}";

    public string LoadBalancerId(string name, string? resourceGroup = null) =>
        $"{ResourceGroupId(resourceGroup)}/providers/{ArmRoute.Namespace}/{ArmRoute.LoadBalancers}/{name}";

    /// <summary>Every request answered so far, in order.</summary>
    public IReadOnlyList<ArmRequestRecord> Requests => _arm.Requests;

    /// <summary>Overlapping writes and calls before Retry-After, in order. A well-behaved client has none.</summary>
    public IReadOnlyList<ArmViolation> Violations => _arm.Violations;

    /// <summary>Accepted writes (2xx PUT/PATCH/DELETE) by the id they addressed (a pool PUT counts under the pool's id).</summary>
    public IReadOnlyDictionary<string, int> Writes => _arm.Writes;

    /// <summary>Accepted writes to a resource and everything below it (a load balancer and its pools).</summary>
    public int WritesTo(string resourceId) =>
        Writes.Where(w => w.Key.Equals(resourceId, StringComparison.OrdinalIgnoreCase) || w.Key.StartsWith(resourceId + "/", StringComparison.OrdinalIgnoreCase)).Sum(w => w.Value);

    /// <summary>Long-running operations not yet ended.</summary>
    public int OperationsInProgress => _arm.OperationsInProgress;

    /// <summary>The current JSON of a resource or child resource (a pool id works), as a GET would show it; null if absent.</summary>
    public JsonObject? Get(string resourceId) => _arm.Get(resourceId);

    /// <summary>Every public IP and load balancer, by id.</summary>
    public IReadOnlyList<JsonObject> Resources => _arm.Resources();

    /// <summary>Adds a fault for the next matching requests (thread-safe).</summary>
    public InjectedFault Inject(FakeArmFault fault) => _arm.Faults.Inject(fault);

    public void ClearFaults() => _arm.Faults.Clear();

    /// <summary>Replaces a pool's addresses behind the client's back (no request): the load balancer gets a new etag.</summary>
    public void MutatePool(string loadBalancerName, string poolName, IEnumerable<string> ipAddresses, string? resourceGroup = null)
    {
        var vnet = VirtualNetworkId;
        _arm.Mutate(LoadBalancerId(loadBalancerName, resourceGroup), lb =>
        {
            var pool = ResourceShape.Items(lb, ArmRoute.BackendAddressPools)
                .FirstOrDefault(p => p["name"]!.GetValue<string>().Equals(poolName, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException($"load balancer {loadBalancerName} has no pool {poolName}");
            var properties = ResourceShape.Properties(pool);
            var names = Json.Array(properties, BackendAddressPools.Addresses, "")
                .ToDictionary(a => a["properties"]!["ipAddress"]!.GetValue<string>(), a => a["name"]!.GetValue<string>());
            properties[BackendAddressPools.Addresses] = new JsonArray(ipAddresses.Select(ip => (JsonNode?)new JsonObject
            {
                ["name"] = names.GetValueOrDefault(ip) ?? $"out-of-band-{ip.Replace(':', '-')}",
                ["properties"] = new JsonObject { ["ipAddress"] = ip, ["virtualNetwork"] = Json.Reference(vnet) },
            }).ToArray());
        });
    }

    /// <summary>Changes any resource's JSON behind the client's back; it gets a new etag.</summary>
    public void Mutate(string resourceId, Action<JsonObject> change) => _arm.Mutate(resourceId, change);

    /// <summary>Deletes a resource behind the client's back.</summary>
    public bool Remove(string resourceId) => _arm.Remove(resourceId);

    /// <summary>An HttpClient that trusts the fake's CA and sends its token (for raw requests in tests and tools).</summary>
    public HttpClient CreateHttpClient()
    {
        var root = _ca.Certificate;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => TestCertificateAuthority.Validates(root, certificate),
        };
        var client = new HttpClient(handler) { BaseAddress = Endpoint };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
        _ca.Dispose();
        File.Delete(_caPemPath);
    }

    private async Task ListenAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            // Kestrel's 30 MB default would refuse a large load balancer before NRP's limits could.
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(_ca.ServerCertificate);
            });
        });
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
        Endpoint = new Uri($"https://127.0.0.1:{new Uri(app.Urls.First()).Port}/");
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = await ReadAsync(http.Request);
        var response = _arm.Handle(request);
        if (response.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(response.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        http.Response.StatusCode = (int)response.Status;
        http.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        http.Response.Headers["x-ms-correlation-request-id"] = http.Request.Headers["x-ms-correlation-request-id"].FirstOrDefault() ?? Guid.NewGuid().ToString();
        foreach (var (name, value) in response.Headers)
            http.Response.Headers[name] = value.StartsWith('/') ? new Uri(Endpoint, value).ToString() : value;
        if (response.Status == HttpStatusCode.Unauthorized)
            http.Response.Headers.WWWAuthenticate = "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\"";
        if (response.Body is null) return;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(response.Body.ToJsonString(), Encoding.UTF8);
    }

    private static async Task<ArmRequest> ReadAsync(HttpRequest http)
    {
        JsonObject? body = null;
        var invalid = false;
        if (http.Method is "PUT" or "PATCH" or "POST" && http.ContentLength != 0)
        {
            using var reader = new StreamReader(http.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            if (text.Length > 0)
            {
                try
                {
                    body = JsonNode.Parse(text) as JsonObject;
                    invalid = body is null;
                }
                catch (JsonException)
                {
                    invalid = true;
                }
            }
        }
        return new ArmRequest(http.Method, http.Path.Value ?? "/", http.Query["api-version"].FirstOrDefault(), http.Headers.Authorization.FirstOrDefault())
        {
            Body = body,
            BodyInvalid = invalid,
            IfMatch = http.Headers.IfMatch.FirstOrDefault(),
            IfNoneMatch = http.Headers.IfNoneMatch.FirstOrDefault(),
        };
    }
}
