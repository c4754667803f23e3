namespace FleetL4.Agent;

/// <summary>Settings of the member agent (`fleetl4 agent`).</summary>
public sealed class AgentOptions
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

    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);
}
