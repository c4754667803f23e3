using System.Text.Json.Nodes;

namespace FleetL4.Agent;

/// <summary>JSON merge patches (RFC 7386) computed from what an object has to what it should have.</summary>
public static class MergePatch
{
    /// <summary>The patch that turns <paramref name="from"/> into <paramref name="to"/>: changed and new keys, and null
    /// for every key <paramref name="to"/> no longer has (a merge patch keeps keys it does not mention).</summary>
    public static JsonObject Between(JsonObject? from, JsonObject to)
    {
        var patch = new JsonObject();
        if (from is not null)
            foreach (var (key, _) in from)
                if (!to.ContainsKey(key)) patch[key] = null;
        foreach (var (key, value) in to)
        {
            var old = from?[key];
            if (value is JsonObject child && old is JsonObject oldChild)
            {
                var inner = Between(oldChild, child);
                if (inner.Count > 0) patch[key] = inner;
            }
            else if (from is null || !from.ContainsKey(key) || !JsonNode.DeepEquals(old, value)) patch[key] = value?.DeepClone();
        }
        return patch;
    }
}
