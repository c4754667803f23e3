using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetL4.Hosting.Health;

/// <summary>
/// /healthz: the process is up (200, no checks). /readyz: 200 only while this silo is Active in the cluster and, with
/// Azure Storage, the grain storage answers; otherwise 503 with the reasons in plain text, one line each.
/// </summary>
public static class HubHealth
{
    private const string Ready = "ready";

    public static IServiceCollection AddHubHealth(this IServiceCollection services, HubOptions hub)
    {
        var checks = services.AddHealthChecks().AddCheck<SiloActiveCheck>("silo", tags: [Ready]);
        if (hub.Storage == HubStorage.AzureStorage)
        {
            services.AddSingleton<GrainStorageCheck>(); // one instance: it caches the last probe
            checks.AddCheck<GrainStorageCheck>("grain-storage", tags: [Ready]);
        }
        return services;
    }

    /// <summary>Served on <paramref name="port"/> (Hub:HealthUrl) only.</summary>
    public static void MapHubHealth(this IEndpointRouteBuilder app, int port)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WritePlainText }).RequireHost($"*:{port}");
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WritePlainText }).RequireHost($"*:{port}");
    }

    private static Task WritePlainText(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "text/plain; charset=utf-8";
        var failing = report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy).Select(e => e.Description ?? e.Exception?.Message);
        return http.Response.WriteAsync(report.Status == HealthStatus.Healthy ? "ok\n" : string.Join("\n", failing) + "\n");
    }
}
