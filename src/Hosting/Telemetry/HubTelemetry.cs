using FleetL4.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FleetL4.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry in the hub. Metrics of FleetL4, Orleans (grain calls, activations, storage latency and errors) and
/// ASP.NET Core (hub API requests) are scraped at /metrics on Hub:HealthUrl. Traces, and an OTLP copy of the metrics,
/// go out only when OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads it and the other OTEL_EXPORTER_OTLP_*
/// variables); otherwise nothing listens to spans, so none is made.
/// </summary>
public static class HubTelemetry
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddHubTelemetry(this IServiceCollection services)
    {
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fleetl4-hub"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(FleetMetrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting").AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
        if (otlp)
            telemetry.WithTracing(tracing => tracing
                .AddSource(FleetActivities.SourceName, "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage")
                .AddAspNetCoreInstrumentation() // continues the member's trace from the request's traceparent
                .AddHttpClientInstrumentation() // ARM calls of the Azure provider
                .AddGrpcClientInstrumentation() // the --demo's calls to its own hub API
                .AddOtlpExporter());
        return services;
    }

    /// <summary>Prometheus text at /metrics, on <paramref name="port"/> (Hub:HealthUrl) only.</summary>
    public static void MapHubMetrics(this IEndpointRouteBuilder app, int port) =>
        app.MapPrometheusScrapingEndpoint("/metrics").RequireHost($"*:{port}");
}
