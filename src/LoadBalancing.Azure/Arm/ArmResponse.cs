using System.Text.Json.Nodes;

namespace FleetL4.LoadBalancing.Azure.Arm;

/// <summary>A resource as ARM returned it, with its etag (for If-Match).</summary>
public sealed record ArmResponse(JsonObject Body, string? ETag);
