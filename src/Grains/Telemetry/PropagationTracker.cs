using System.Diagnostics;
using FleetL4.LoadBalancing;

namespace FleetL4.Telemetry;

/// <summary>
/// The changes one MCS has not handed to its provider yet, and the provider calls that hand them over: when the hub
/// received the oldest of them (<see cref="ChangeReceipt"/>), and the traces they came in on. Each call is a span
/// whose parent is the oldest change's trace (links to later ones, a few at most), is counted by provider kind and
/// operation, and on success yields one <see cref="FleetMetrics.Propagation"/> sample. O(1) per change.
/// </summary>
public sealed class PropagationTracker(ILoadBalancerProvider provider)
{
    private const int MaxLinks = 8;
    private readonly string _kind = ProviderKind(provider);
    private DateTimeOffset? _oldestReceived;
    private ActivityContext _parent;
    private List<ActivityLink>? _links;
    private bool _lastFailed;

    /// <summary>The desired state moved, in the grain call (or turn) that is running now.</summary>
    public void Changed()
    {
        _oldestReceived ??= ChangeReceipt.Current;
        if (Activity.Current?.Context is not { } context) return;
        if (_parent == default) _parent = context;
        else if (context.TraceId != _parent.TraceId && (_links ??= []).Count < MaxLinks) _links.Add(new ActivityLink(context));
    }

    /// <summary>A provider call starts (<paramref name="operation"/>: ensure, delete); dispose it when it ends.</summary>
    public Call Start(string operation, string loadBalancer)
    {
        var tags = new TagList { { "provider", _kind }, { "operation", operation } };
        FleetMetrics.ProviderCalls.Add(1, tags);
        if (_lastFailed) FleetMetrics.ProviderRetries.Add(1, tags);
        return new Call(this, tags, FleetActivities.ProviderCall(_kind, operation, loadBalancer, _parent, _links));
    }

    /// <summary>"InMemory", "Local", "Azure": the provider class's name without its suffix.</summary>
    private static string ProviderKind(ILoadBalancerProvider provider) =>
        provider.GetType().Name.Replace("LoadBalancerProvider", "", StringComparison.Ordinal);

    /// <summary>One provider call: <see cref="Succeeded"/> or <see cref="Failed"/> ends it (disposing it ends one
    /// that neither reached).</summary>
    public sealed class Call(PropagationTracker tracker, TagList tags, Activity? span) : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private bool _ended;

        /// <summary>The provider took every pending change.</summary>
        public void Succeeded()
        {
            if (!End()) return;
            // Recorded inside the call's span, so a listener can tie the sample to its trace.
            if (tracker._oldestReceived is { } received)
                FleetMetrics.Propagation.Record(Math.Max(0, (TimeProvider.System.GetUtcNow() - received).TotalSeconds), tags);
            (tracker._oldestReceived, tracker._parent, tracker._links, tracker._lastFailed) = (null, default, null, false);
            Dispose();
        }

        /// <summary>The call failed: the changes stay pending for the retry.</summary>
        public void Failed(Exception error)
        {
            if (!End()) return; // the provider succeeded, and what the grain did next failed
            FleetMetrics.ProviderFailures.Add(1, tags);
            span?.SetStatus(ActivityStatusCode.Error, error.Message);
            tracker._lastFailed = true;
            Dispose();
        }

        public void Dispose() => span?.Dispose();

        private bool End()
        {
            if (_ended) return false;
            _ended = true;
            FleetMetrics.ProviderDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
            return true;
        }
    }
}
