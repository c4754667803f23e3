using FleetL4.Models;

namespace FleetL4.Client.Output;

/// <summary>How kubectl names an applied object's kind in its output: "deployment.apps", "service", ...</summary>
public static class AppliedKind
{
    /// <param name="objects">The objects that were applied, whose apiVersion gives the group.</param>
    public static string Of(IReadOnlyList<ManifestObject> objects, ManifestResult result)
    {
        var group = FleetApi.GroupOf(objects.FirstOrDefault(o => o.Kind == result.Kind && o.Name == result.Name)?.ApiVersion ?? "");
        return result.Kind.ToLowerInvariant() + (group.Length == 0 ? "" : "." + group);
    }
}
