using System.Text.Json.Nodes;

namespace FleetL4.FakeKube;

/// <summary>
/// The part of a strategic merge patch that kubectl apply sends for Kubernetes' own kinds, turned into a JSON merge
/// patch against the current object. The fake has no schema to name each list's merge key, so it takes the key from
/// the patch's $setElementOrder entries (kubectl sends one for every list it changes): elements are matched on it,
/// "$patch: delete" elements removed, the others merged in and the list put in that order. A list without such an
/// entry is replaced, as in a merge patch; other directives ($retainKeys, $patch: replace) are ignored.
/// </summary>
public static class StrategicMergePatch
{
    private const string Order = "$setElementOrder/";
    private const string DeleteFromPrimitives = "$deleteFromPrimitiveList/";

    public static JsonObject ToMergePatch(JsonObject? current, JsonObject patch)
    {
        var result = new JsonObject();
        var lists = patch.Select(e => e.Key.StartsWith(Order, StringComparison.Ordinal) ? e.Key[Order.Length..] : e.Key)
            .Where(k => !k.StartsWith('$')).Distinct().ToArray();
        foreach (var key in lists)
        {
            var value = patch[key];
            var order = patch[Order + key] as JsonArray;
            result[key] = value switch
            {
                JsonObject child => ToMergePatch(current?[key] as JsonObject, child),
                JsonArray or null when order is not null || value is JsonArray => List(current?[key] as JsonArray, value as JsonArray ?? [], order, patch[DeleteFromPrimitives + key] as JsonArray),
                _ => value?.DeepClone(),
            };
        }
        return result;
    }

    private static JsonArray List(JsonArray? current, JsonArray patch, JsonArray? order, JsonArray? deleted)
    {
        var keyFields = (order?.FirstOrDefault() as JsonObject)?.Select(f => f.Key).ToArray();
        if (keyFields is null)
        {
            // Primitives, or no merge key known: the patch's list (or the given order) is the list.
            var items = (order ?? patch).Where(e => e is not JsonObject o || !o.ContainsKey("$patch"))
                .Where(e => deleted?.Any(d => JsonNode.DeepEquals(d, e)) != true);
            return new JsonArray([.. items.Select(e => e?.DeepClone())]);
        }
        bool Same(JsonNode? a, JsonNode? b) => keyFields.All(f => JsonNode.DeepEquals(a?[f], b?[f]));
        var live = (current ?? []).Select(e => e?.DeepClone()).ToList();
        foreach (var element in patch.OfType<JsonObject>())
        {
            var at = live.FindIndex(l => Same(l, element));
            if (element["$patch"]?.GetValue<string>() == "delete")
            {
                if (at >= 0) live.RemoveAt(at);
            }
            else if (at >= 0 && live[at] is JsonObject existing)
            {
                var merged = (JsonObject)existing.DeepClone();
                FakeApiStore.Merge(merged, ToMergePatch(existing, element));
                live[at] = merged;
            }
            else live.Add(ToMergePatch(null, element));
        }
        // In the patch's order; elements others added (not in it) stay, after them.
        var ordered = order!.Select(o => live.FirstOrDefault(l => Same(l, o))).Where(l => l is not null)
            .Concat(live.Where(l => !order!.Any(o => Same(l, o))));
        return new JsonArray([.. ordered.Select(e => e?.DeepClone())]);
    }
}
