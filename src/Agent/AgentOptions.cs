namespace FleetL4.Agent;

/// <summary>Settings of the member agent (`fleetl4 agent`).</summary>
public sealed class AgentOptions
{
    public required string Cluster { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Namespaces to watch; empty = all namespaces.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Must be shorter than the hub's lease (hub default: 10 s x 3 missed).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = DefaultHeartbeatInterval;

    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(10);

    /// <summary>While the member's API server is unreachable the agent keeps heartbeating the last known state this long;
    /// then it stops, so that the hub's lease withdraws the cluster's endpoints.</summary>
    public TimeSpan ApiOutageBound { get; init; } = DefaultApiOutageBound;

    public static readonly TimeSpan DefaultApiOutageBound = TimeSpan.FromMinutes(5);

    /// <summary>timeoutSeconds of each watch request; the agent re-watches when the server ends the stream.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often hub status is compared with the member's objects and written back where it differs.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);
}
