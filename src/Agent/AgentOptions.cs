using FleetL4.KubernetesWatch;

namespace FleetL4.Agent;

/// <summary>Settings of the member agent (`fleetl4 agent`).</summary>
public sealed class AgentOptions : IWatchOptions
{
    public required string Cluster { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Namespaces to watch; empty = all namespaces.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>While the member's API server is unreachable the agent keeps its status stream (the heartbeat) open this
    /// long; then it closes it, so that the hub's lease withdraws the cluster's endpoints.</summary>
    public TimeSpan ApiOutageBound { get; init; } = DefaultApiOutageBound;

    public static readonly TimeSpan DefaultApiOutageBound = TimeSpan.FromMinutes(5);

    /// <summary>timeoutSeconds of each watch request; the agent re-watches when the server ends the stream.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Writes (status patches, ServiceImports) per second to the member's API server, on average. client-go's
    /// style; higher than its 50 so that 10,000 exports' statuses are written within a minute.</summary>
    public double Qps { get; init; } = DefaultQps;

    public const double DefaultQps = 200;

    /// <summary>Writes allowed at once above <see cref="Qps"/> (a burst after a resync).</summary>
    public int Burst { get; init; } = DefaultBurst;

    public const int DefaultBurst = 400;

    /// <summary>Status writes in flight at once (each still waits for the request budget).</summary>
    public int StatusWriters { get; init; } = 16;

    /// <summary>Events per second: best effort, on a budget of their own so they never hold up a status write (a first
    /// sync of 10,000 exports records 20,000 of them, Fleet's two per export: about 200 s at this rate).</summary>
    public double EventQps { get; init; } = 100;

    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);
}
