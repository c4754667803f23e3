using System.Globalization;
using System.Text.Json.Nodes;
using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>The metadata an API server sets on a write: creationTimestamp and uid kept from the first create,
/// resourceVersion per write, generation per change.</summary>
public static class ObjectStamp
{
    public static ManifestObject Stamp(ManifestObject o, ManifestObject? existing, long version, DateTimeOffset now)
    {
        var node = JsonNode.Parse(o.Json)!.AsObject();
        var meta = node["metadata"]!.AsObject();
        var old = existing is null ? null : JsonNode.Parse(existing.Json)!["metadata"];
        if (o.Namespace is null) meta.Remove("namespace");
        else meta["namespace"] = o.Namespace;
        meta["creationTimestamp"] = old?["creationTimestamp"]?.GetValue<string>() ?? Timestamp(now);
        meta["uid"] = old?["uid"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        meta["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        meta["generation"] = (old?["generation"]?.GetValue<long>() ?? 0) + 1;
        return o with { Json = node.ToJsonString() };
    }

    /// <summary>RFC 3339 in whole seconds, as Kubernetes writes timestamps.</summary>
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
