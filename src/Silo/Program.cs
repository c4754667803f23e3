using System.Net;
using FleetL4;
using FleetL4.Hosting;
using FleetL4.Hosting.Demo;
using FleetL4.Hosting.Health;
using FleetL4.Hosting.Telemetry;
using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Azure;
using FleetL4.HubApi;
using FleetL4.HubKubernetes;
using Orleans.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// The hub silo with embedded defaults: localhost clustering, memory storage and reminders, the Orleans
// dashboard on loopback. Everything is standard .NET configuration (appsettings.json, FleetL4__*/Hub__* env,
// --Hub:GatewayPort=... on the command line); defaults live in the options classes.
try
{
    // Content root = the build output, so appsettings.json is found whatever the working directory.
    // --demo is a switch, not a setting: left in, the command-line configuration would read the argument after it as its value.
    var demoMode = args.Contains("--demo");
    args = [.. args.Where(a => a != "--demo")];
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    var hub = builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>() ?? new HubOptions();
    // The hub's own keys shape the silo itself, so they are checked before it is built.
    if (new HubOptionsValidator().Validate(null, hub) is { Failed: true } invalid)
        throw new OptionsValidationException(HubOptions.Section, typeof(HubOptions), invalid.Failures);
    builder.Services.Configure<HubOptions>(builder.Configuration.GetSection(HubOptions.Section));
    if (demoMode && hub.Tls.Enabled)
        throw new OptionsValidationException(HubOptions.Section, typeof(HubOptions), ["Hub:Tls: --demo drives the hub through its plain-text loopback API; run it without Hub:Tls"]);
    if (demoMode)
    {
        var demo = builder.Configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions();
        var pool = builder.Configuration.GetSection(LoadBalancingOptions.Section).Get<LoadBalancingOptions>()?.FrontendPool ?? new LoadBalancingOptions().FrontendPool;
        if (DemoOptionsValidator.Validate(demo, pool) is [_, ..] failures)
            throw new OptionsValidationException(DemoOptions.Section, typeof(DemoOptions), failures);
        builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection(DemoOptions.Section));
        builder.Services.AddHostedService<SeedWalkthrough>();
    }
    // The hub API, the dashboard, and health with metrics, each on its own endpoint. The dashboard is https:// when its
    // URL says so (the validator requires that off loopback), and then admins only; health and metrics are plain HTTP.
    var api = HubEndpoint.Parse(hub.ApiUrl).Endpoint!;
    var dashboard = HubEndpoint.Parse(hub.DashboardUrl).Endpoint!;
    var dashboardTls = HubEndpoint.IsHttps(hub.DashboardUrl) ? hub.Tls : new HubTlsOptions();
    var health = HubEndpoint.Parse(hub.HealthUrl).Endpoint!;
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.ListenHub(api, hub.Tls, HttpProtocols.Http2);
        kestrel.ListenHub(dashboard, dashboardTls, HttpProtocols.Http1AndHttp2);
        kestrel.ListenHub(health, new HubTlsOptions(), HttpProtocols.Http1);
    });
    builder.Services.AddHubApi(hub.Tls);
    builder.Services.AddHubHealth(hub);
    builder.Services.AddHubTelemetry();
    builder.UseOrleans(silo =>
    {
        silo.ConfigureHub(hub);
        silo.AddActivityPropagation(); // grain calls join the trace of the hub API call that made them
        if (hub.Dashboard) silo.AddDashboard(o => o.CounterUpdateIntervalMs = (int)hub.DashboardSampling.TotalMilliseconds);
        // Embedded mode serves real traffic on this machine (Local); "InMemory" only records desired state; "Azure"
        // programs Azure Standard Load Balancers through ARM.
        if (builder.Configuration.GetSection(LoadBalancingOptions.Section).Get<LoadBalancingOptions>()?.Provider == LoadBalancerProviderKind.Azure)
            silo.Services.AddAzureLoadBalancing(builder.Configuration);
        silo.Services.AddLoadBalancing(builder.Configuration);
        silo.AddFleetL4(builder.Configuration);
    });
    // Hub:Kubernetes:Watch: kubectl on the hub's own cluster. After the silo, so that it starts after it and stops before it.
    builder.Services.AddHubKubernetesWatch(builder.Configuration);
    builder.Services.AddHostedService<HubBanner>();

    var app = builder.Build();
    if (dashboardTls.Enabled) app.RequireAdminCertificate(dashboard.Port);
    app.MapHubApi(api.Port);
    if (hub.Dashboard) app.MapOrleansDashboard(routePrefix: "/dashboard").RequireHost($"*:{dashboard.Port}");
    app.MapHubHealth(health.Port);
    app.MapHubMetrics(health.Port);
    await app.RunAsync();
    return Environment.ExitCode; // 0, or 1 when the demo could not run (it says why)
}
catch (OptionsValidationException ex)
{
    // One line per bad key, naming it; nothing has started.
    foreach (var failure in ex.Failures) Console.Error.WriteLine($"error: {failure}");
    return 1;
}
catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
{
    // Bad keys of several sections (the host checks each section at start and throws them together): still one line each.
    foreach (var failure in ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)) Console.Error.WriteLine($"error: {failure}");
    return 1;
}
catch (Exception ex) when (StorageFailures.Find(ex) is { } storage)
{
    // The storage account refused or did not answer at start: say so in one line (the key is never printed).
    Console.Error.WriteLine($"error: Hub:AzureStorage: the storage account refused the hub at start ({storage.Status} {storage.ErrorCode}): {StorageFailures.FirstLine(storage.Message)}");
    return 1;
}
catch (InvalidOperationException ex) when (ConfigurationConversionError.Is(ex))
{
    Console.Error.WriteLine($"error: {ConfigurationConversionError.Describe(ex)}");
    return 1;
}
