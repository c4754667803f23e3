using System.Net;
using FleetL4;
using FleetL4.Silo;
using Orleans.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The hub silo with embedded defaults: localhost clustering, memory storage and reminders, the Orleans
// dashboard on loopback. Everything is standard .NET configuration (appsettings.json, FleetL4__*/Hub__* env,
// --Hub:GatewayPort=... on the command line).
// Content root = the build output, so appsettings.json is found whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var hub = builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>() ?? new HubOptions();
builder.Services.Configure<HubOptions>(builder.Configuration.GetSection(HubOptions.Section));
builder.WebHost.UseUrls(hub.DashboardUrl);
builder.UseOrleans(silo =>
{
    if (string.Equals(hub.Clustering, "Kubernetes", StringComparison.OrdinalIgnoreCase))
    {
        // Pod identity and address come from the pod (POD_NAME, POD_NAMESPACE, POD_IP); one replica is its own primary.
        var podIp = IPAddress.Parse(Environment.GetEnvironmentVariable("POD_IP") ?? "127.0.0.1");
        silo.UseKubernetesHosting();
        silo.ConfigureEndpoints(podIp, hub.SiloPort, hub.GatewayPort, listenOnAnyHostAddress: true);
        silo.UseDevelopmentClustering(new IPEndPoint(podIp, hub.SiloPort));
    }
    else silo.UseLocalhostClustering(hub.SiloPort, hub.GatewayPort);
    silo.AddMemoryGrainStorage(StorageNames.Fleet);
    silo.UseInMemoryReminderService();
    silo.AddDashboard();
    // Embedded mode serves real traffic on this machine; "InMemory" only records desired state.
    if (!string.Equals(builder.Configuration["FleetL4:Provider"], "InMemory", StringComparison.OrdinalIgnoreCase))
        silo.UseLocalLoadBalancer(builder.Configuration);
    silo.AddFleetL4(builder.Configuration);
});
builder.Services.AddHostedService<HubBanner>();
if (args.Contains("--demo")) builder.Services.AddHostedService<FleetL4.Silo.Demo.SeedWalkthrough>();

var app = builder.Build();
app.MapOrleansDashboard(routePrefix: "/dashboard");
await app.RunAsync();
