using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FleetL4.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace FleetL4.Tests.Observability;

/// <summary>
/// What this process traces and measures while it lives: finished spans of FleetL4, Orleans grain calls and ASP.NET
/// Core (the OpenTelemetry SDK, its sampling and parenting as in the hub), and each <c>fleetl4.propagation.duration</c> sample with
/// the trace that was current when it was recorded. Tests running beside it add their own spans and samples: pick
/// yours by the trace of <see cref="StartRoot"/>.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private const string TestSource = "FleetL4.Tests";
    private static readonly ActivitySource Source = new(TestSource);
    private readonly List<Activity> _spans = [];
    private readonly TracerProvider _tracing;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentQueue<(double Seconds, ActivityTraceId Trace)> _propagation = new();

    public TelemetryCapture()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(TestSource, FleetActivities.SourceName, "System.Net.Http", "Microsoft.AspNetCore", "Microsoft.Orleans.Application")
            .AddGrpcClientInstrumentation() // Grpc.Net.Client's span sits between FleetClient's and the HTTP request's
            .AddProcessor(new Collector(_spans))
            .Build()!;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            // By name: this runs while FleetMetrics' own instruments are being made.
            if (instrument.Meter.Name == FleetMetrics.MeterName && instrument.Name == "fleetl4.propagation.duration")
                listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<double>((_, value, _, _) =>
            _propagation.Enqueue((value, Activity.Current?.TraceId ?? default)));
        _meters.Start();
    }

    /// <summary>A span of the test itself, as a member's own code would have around its calls.</summary>
    public static Activity StartRoot(string name) => Source.StartActivity(name) ?? throw new InvalidOperationException("no listener samples the test's spans");

    /// <summary>The finished spans of one trace.</summary>
    public IReadOnlyList<Activity> Trace(ActivityTraceId trace)
    {
        lock (_spans) return [.. _spans.Where(s => s.TraceId == trace)];
    }

    /// <summary>Propagation samples recorded inside one trace (in its provider call's span).</summary>
    public IReadOnlyList<double> PropagationSamples(ActivityTraceId trace) =>
        [.. _propagation.Where(p => p.Trace == trace).Select(p => p.Seconds)];

    public void Dispose()
    {
        _meters.Dispose();
        _tracing.Dispose();
    }

    /// <summary>Keeps each span as it ends; spans end on many threads, the test reads them on its own.</summary>
    private sealed class Collector(List<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            lock (spans) spans.Add(data);
        }
    }
}
