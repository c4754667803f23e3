using FleetL4.Members;
using FleetL4.Models;

namespace FleetL4.HubApi;

/// <summary>
/// The hub's own objects as one API: ClusterResourcePlacements go to their placement grain, everything else to
/// the <see cref="IHubObjectsGrain"/> of its namespace (<see cref="HubObjectScope"/>). Every document is checked
/// before any is stored; results come back in document order.
/// </summary>
internal sealed class HubObjects(IGrainFactory grains)
{
    public async Task<IReadOnlyList<ManifestResult>> ApplyAsync(IReadOnlyList<ManifestObject> objects)
    {
        var defaulted = Checked(objects);
        var results = new ManifestResult?[defaulted.Count];
        foreach (var group in Scopes(defaulted))
        {
            var applied = await grains.GetGrain<IHubObjectsGrain>(group.Key).Apply([.. group.Select(x => x.Object)]);
            foreach (var (index, result) in group.Select(x => x.Index).Zip(applied)) results[index] = result;
        }
        // After their namespaces' objects: a placement applied in the same file selects them at once.
        foreach (var (o, index) in defaulted.Select((o, i) => (o, i)).Where(x => IsPlacement(x.o)))
            results[index] = await grains.GetGrain<IPlacementGrain>(o.Name).Apply(o);
        return [.. results.Select(r => r!)];
    }

    public async Task<IReadOnlyList<ManifestResult>> DeleteAsync(IReadOnlyList<ManifestObject> objects)
    {
        var defaulted = Checked(objects);
        var results = new ManifestResult?[defaulted.Count];
        foreach (var (o, index) in defaulted.Select((o, i) => (o, i)).Where(x => IsPlacement(x.o)))
            results[index] = new ManifestResult(o.Kind, null, o.Name, await grains.GetGrain<IPlacementGrain>(o.Name).Delete() ? "deleted" : "not found");
        foreach (var group in Scopes(defaulted))
        {
            var deleted = await grains.GetGrain<IHubObjectsGrain>(group.Key).Delete([.. group.Select(x => x.Object)]);
            foreach (var (index, result) in group.Select(x => x.Index).Zip(deleted)) results[index] = result;
        }
        return [.. results.Select(r => r!)];
    }

    /// <summary>Every hub object, placements last (as stored, without their status).</summary>
    public async Task<IReadOnlyList<ManifestObject>> ListAsync()
    {
        var directory = grains.GetGrain<IHubDirectoryGrain>(GrainKeys.Hub);
        var lists = await Task.WhenAll((await directory.Namespaces()).Select(s => grains.GetGrain<IHubObjectsGrain>(s).List()));
        var placements = await Task.WhenAll((await directory.Placements()).Select(p => grains.GetGrain<IPlacementGrain>(p).Get()));
        return [.. lists.SelectMany(l => l), .. placements.Where(p => p is { Exists: true, Json: not null })
            .Select(p => new ManifestObject(PlacementApi.ApiVersion, PlacementApi.Kind, null, p.Name, p.Json!))];
    }

    private static bool IsPlacement(ManifestObject o) => PlacementApi.IsPlacement(o.ApiVersion, o.Kind);

    private static List<ManifestObject> Checked(IReadOnlyList<ManifestObject> objects) => [.. objects.Select(MemberObjectKinds.Defaulted)];

    private static IEnumerable<IGrouping<string, (ManifestObject Object, int Index)>> Scopes(List<ManifestObject> objects) =>
        objects.Select((o, i) => (Object: o, Index: i)).Where(x => !IsPlacement(x.Object)).GroupBy(x => HubObjectScope.Of(x.Object));
}
