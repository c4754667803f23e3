using System.Diagnostics;

namespace FleetL4.Telemetry;

/// <summary>
/// FleetL4's spans (ActivitySource "FleetL4"): a hub API call in the member (CLI, agent, FleetClient), the hub
/// taking in a member's changes, and each load balancer provider call. With Orleans' activity propagation and the
/// W3C traceparent on the hub API's HTTP/2 requests, one trace follows a change from the member to the provider.
/// Without a listener no span is made (StartActivity returns null).
/// </summary>
public static class FleetActivities
{
    public const string SourceName = "FleetL4";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A call of the member to the hub API (the gRPC request carries its context).</summary>
    public static Activity? HubCall(string method) => Source.StartActivity($"FleetL4 {method}", ActivityKind.Client);

    /// <summary>The hub taking in a member's changes (<paramref name="objects"/> of them) for <paramref name="cluster"/>.</summary>
    public static Activity? Ingest(string operation, string cluster, int objects)
    {
        var activity = Source.StartActivity($"FleetL4 ingest {operation}", ActivityKind.Internal);
        activity?.SetTag("fleetl4.cluster", cluster);
        activity?.SetTag("fleetl4.objects", objects);
        return activity;
    }

    /// <summary>
    /// A provider call for <paramref name="loadBalancer"/>. It runs in a timer turn of its own, so its parent is the
    /// change it carries (the oldest one, when several coalesced), and the others are links.
    /// </summary>
    public static Activity? ProviderCall(string provider, string operation, string loadBalancer, ActivityContext parent, IEnumerable<ActivityLink>? links)
    {
        var activity = Source.StartActivity($"FleetL4 provider {operation}", ActivityKind.Client, parent, links: links);
        activity?.SetTag("fleetl4.provider", provider);
        activity?.SetTag("fleetl4.operation", operation);
        activity?.SetTag("fleetl4.load_balancer", loadBalancer);
        return activity;
    }
}
