using System.Net;
using FleetL4;
using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Local;
using FleetL4.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Serves HTTP backends and a FleetL4 local load balancer in front of them, for run.sh to load with wrk next to
// HAProxy on the same backends. Prints READY with the addresses, then runs until stdin closes.
var backendCount = args.Length > 0 ? int.Parse(args[0]) : 2;
const string subnet = "127.0.70";
const int backendPort = 18080;
var backends = new List<WebApplication>();
for (var i = 1; i <= backendCount; i++)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    var address = $"{subnet}.{i}";
    builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(address), backendPort));
    var app = builder.Build();
    var body = $"kuard-like backend\naddrs: [{address}]\n";
    app.MapGet("/", () => Results.Text(body));
    await app.StartAsync();
    backends.Add(app);
}

using var provider = new LocalLoadBalancerProvider(
    Options.Create(new LoadBalancingOptions { FrontendPool = "127.0.71.0/24" }),
    Options.Create(new LocalLoadBalancerOptions()),
    NullLogger<LocalLoadBalancerProvider>.Instance, TimeProvider.System);
var ip = await provider.EnsureAsync(new LoadBalancerSpec("bench/default/lb", null, false,
    [new FrontendPort(8080, "TCP", backendPort)],
    Enumerable.Range(1, backendCount).Select(i => new Backend($"cluster-{i % 2}", $"{subnet}.{i}")).ToArray(), "None"), CancellationToken.None);

Console.WriteLine($"READY frontend={ip}:8080 backends={string.Join(",", Enumerable.Range(1, backendCount).Select(i => $"{subnet}.{i}:{backendPort}"))}");
await Console.In.ReadToEndAsync();
foreach (var app in backends) await app.StopAsync();
