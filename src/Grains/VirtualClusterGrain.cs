using Microsoft.Extensions.DependencyInjection;
using FleetL4.Runtime;
using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Members.Validation;
using FleetL4.Models;
using FleetL4.State;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace FleetL4;

/// <summary>
/// A virtual member cluster (embedded mode). Stores applied objects with resourceVersion, generation and
/// creationTimestamp like an API server, checks a whole batch before storing any of it, then drives the hub
/// through <see cref="MemberSync"/>, the translation the Kubernetes member agent uses too.
/// </summary>
public sealed class VirtualClusterGrain(
    [PersistentState("virtual", StorageNames.Fleet)] IPersistentState<VirtualClusterState> state,
    [FromKeyedServices(GrainClock.Key)] TimeProvider clock,
    IOptions<FleetOptions> options) : Grain, IVirtualClusterGrain
{
    private readonly FleetQuotas _quotas = options.Value.Quotas;

    private string Cluster => this.GetPrimaryKeyString();

    public async Task<IReadOnlyList<ManifestResult>> Apply(IReadOnlyList<ManifestObject> objects)
    {
        await RequireJoined();
        foreach (var o in objects)
            if (MemberObjectKinds.Classify(o) == MemberObjectKind.ClusterResourcePlacement)
                throw new FleetValidationException("kind", $"document {o.Document} ({MemberObjectKinds.Describe(o)}): a ClusterResourcePlacement is a hub object; apply it without --cluster");
        return await ApplyObjects(objects, placement: null);
    }

    /// <param name="placement">The placement that puts the objects here, or null when the user applies them.</param>
    private async Task<IReadOnlyList<ManifestResult>> ApplyObjects(IReadOnlyList<ManifestObject> objects, string? placement)
    {
        var next = new Dictionary<string, ManifestObject>(state.State.Objects, StringComparer.Ordinal);
        var applied = new Dictionary<string, string>(state.State.Applied, StringComparer.Ordinal);
        var version = state.State.ResourceVersion;
        var results = new List<ManifestResult>();
        var changed = new List<ManifestObject>();
        foreach (var o in objects) RequireObjectBytes(o);
        var defaulted = objects.Select(MemberObjectKinds.Defaulted).ToList();
        foreach (var o in defaulted)
        {
            var key = Key(o);
            var userJson = JsonNode.Parse(o.Json)!.ToJsonString();
            string action;
            if (applied.TryGetValue(key, out var before) && before == userJson) action = "unchanged";
            else
            {
                action = next.TryGetValue(key, out var existing) ? "configured" : "created";
                next[key] = ObjectStamp.Stamp(o, existing, ++version, clock.GetUtcNow());
                applied[key] = userJson;
                changed.Add(next[key]);
            }
            results.Add(new ManifestResult(o.Kind, o.Namespace, o.Name, action, Warning(o)));
        }

        QuotaRules.RequireClusterObjects(_quotas, Cluster, state.State.Objects.Values, next.Values);
        var objectsAfter = Parse(next.Values, changed);
        var exports = new HashSet<NamespacedName>();
        var mcses = new HashSet<NamespacedName>();
        // Unchanged objects are synced too: re-applying a file repairs a sync that failed after the store was written.
        foreach (var o in defaulted) MemberSync.Affected(o, objectsAfter, exports, mcses);
        Check(objectsAfter, changed, exports, mcses, _quotas);
        QuotaRules.RequireClusterExports(_quotas, Cluster, ExportCount(state.State.Objects.Values), objectsAfter.ServiceExports.Count);

        state.State.Objects = next;
        state.State.Applied = applied;
        state.State.ResourceVersion = version;
        foreach (var o in defaulted)
            if (placement is null) state.State.PlacedBy.Remove(Key(o)); // the user's own from now on
            else state.State.PlacedBy[Key(o)] = placement;
        await state.WriteStateAsync();
        await Sync().SyncAsync(objectsAfter, exports, mcses, version);
        return results;
    }

    public async Task<ClusterWorkReport> ApplyWork(ClusterWork work)
    {
        if (!(await GrainFactory.GetGrain<IMemberClusterGrain>(Cluster).Get()).Joined) return new ClusterWorkReport([], []);
        var stale = work.Remove.Select(Key).Where(state.State.PlacedBy.ContainsKey).ToList();
        if (stale.Count > 0) await Remove(stale);
        var reports = new List<WorkReport>();
        foreach (var placed in work.Placements)
        {
            var results = new List<ResourceApplyResult>();
            try
            {
                await ApplyObjects(placed.Objects, placed.Placement);
                results.AddRange(placed.Objects.Select(o => new ResourceApplyResult(ResourceId.Of(o), true)));
            }
            catch (FleetValidationException)
            {
                // As an API server takes each object on its own: the valid ones are applied, the others reported.
                foreach (var o in placed.Objects)
                {
                    try
                    {
                        await ApplyObjects([o], placed.Placement);
                        results.Add(new ResourceApplyResult(ResourceId.Of(o), true));
                    }
                    catch (FleetValidationException ex)
                    {
                        results.Add(new ResourceApplyResult(ResourceId.Of(o), false, ex.Message));
                    }
                }
            }
            reports.Add(new WorkReport(placed.Placement, placed.Revision, results));
        }
        return new ClusterWorkReport(reports, work.Remove);
    }

    public async Task<IReadOnlyList<ManifestResult>> Delete(IReadOnlyList<ManifestObject> objects)
    {
        var checkedObjects = objects.Select(MemberObjectKinds.Defaulted).ToList(); // every document is checked before anything is removed
        var results = checkedObjects.Select(o => new ManifestResult(o.Kind, o.Namespace, o.Name,
            state.State.Objects.ContainsKey(Key(o)) ? "deleted" : "not found")).ToList();
        await Remove([.. checkedObjects.Select(Key).Distinct()]);
        return results;
    }

    /// <summary>Removes stored objects (keys not stored are skipped) and syncs what they touched.</summary>
    private async Task Remove(IReadOnlyList<string> keys)
    {
        var removed = new List<ManifestObject>();
        foreach (var key in keys)
        {
            if (!state.State.Objects.Remove(key, out var gone)) continue;
            state.State.Applied.Remove(key);
            state.State.PlacedBy.Remove(key);
            removed.Add(gone);
        }
        if (removed.Count == 0) return;
        state.State.ResourceVersion++; // deletions move the member's version too
        await state.WriteStateAsync();
        var before = Parse(state.State.Objects.Values.Concat(removed), []);
        var after = Parse(state.State.Objects.Values, []);
        var exports = new HashSet<NamespacedName>();
        var mcses = new HashSet<NamespacedName>();
        foreach (var o in removed) MemberSync.Affected(o, before, exports, mcses);
        if ((await GrainFactory.GetGrain<IMemberClusterGrain>(Cluster).Get()).Joined)
            await Sync().SyncAsync(after, exports, mcses, state.State.ResourceVersion);
    }

    public async Task Resend(NamespacedName export)
    {
        if (!(await GrainFactory.GetGrain<IMemberClusterGrain>(Cluster).Get()).Joined) return;
        await Sync().SyncAsync(Parse(state.State.Objects.Values, []), [export], [], state.State.ResourceVersion);
    }

    public Task<IReadOnlyList<ManifestObject>> List() =>
        Task.FromResult<IReadOnlyList<ManifestObject>>(state.State.Objects.Values.ToArray());

    private MemberSync Sync() => new(new MemberClusterHub(GrainFactory.GetGrain<IMemberClusterGrain>(Cluster)));

    private async Task RequireJoined()
    {
        if (!(await GrainFactory.GetGrain<IMemberClusterGrain>(Cluster).Get()).Joined)
            throw new FleetValidationException("cluster", $"cluster \"{Cluster}\" has not joined the fleet (fleetl4 cluster join {Cluster})");
    }


    /// <summary>Checked before the object is parsed, so an oversized document costs no more than its message.</summary>
    private void RequireObjectBytes(ManifestObject o)
    {
        try
        {
            QuotaRules.RequireObjectBytes(_quotas, o);
        }
        catch (FleetValidationException ex)
        {
            throw ex.In($"document {o.Document} ({o.Kind} {o.Name})");
        }
    }

    private static int ExportCount(IEnumerable<ManifestObject> objects) =>
        objects.Count(o => MemberObjectKinds.Classify(o) == MemberObjectKind.ServiceExport);

    private static MemberObjects Parse(IEnumerable<ManifestObject> all, IReadOnlyList<ManifestObject> changed)
    {
        // Parse what changed first, so that an error names the document it came from.
        foreach (var o in changed) MemberObjects.From([o]);
        return MemberObjects.From(all);
    }

    /// <summary>Runs the hub's own rules on everything the batch would send, so that nothing is half-applied.</summary>
    private static void Check(MemberObjects objects, IReadOnlyList<ManifestObject> changed, ISet<NamespacedName> exports, ISet<NamespacedName> mcses, FleetQuotas quotas)
    {
        foreach (var o in changed)
        {
            try
            {
                var key = new NamespacedName(o.Namespace!, o.Name);
                switch (MemberObjectKinds.Classify(o))
                {
                    case MemberObjectKind.Service:
                        ExportValidation.Normalize(new ServiceExportReport(o.Namespace!, o.Name, default,
                            MemberTranslator.ToService(objects.Services[key], objects.SlicesOf(key).ToList()), []), quotas);
                        break;
                    case MemberObjectKind.EndpointSlice:
                        // Named after its Service (when that is a name at all), so that a refusal names the export.
                        var export = objects.SliceOwners.TryGetValue(key, out var owner) && NameRules.IsDns1123Label(owner.Name) ? owner.Name : "slice";
                        ExportValidation.Normalize(new ServiceExportReport(o.Namespace!, export, default, null,
                            MemberTranslator.ToEndpoints([MemberObjects.Parse<V1EndpointSlice>(o)])), quotas);
                        break;
                    case MemberObjectKind.MultiClusterService:
                        RequireMcsSchema(objects.MultiClusterServices[key]);
                        break;
                }
            }
            catch (FleetValidationException ex)
            {
                throw ex.In($"document {o.Document} ({MemberObjectKinds.Describe(o)})");
            }
        }
        foreach (var key in exports)
            if (MemberSync.Report(objects, key) is { } report) ExportValidation.Normalize(report, quotas);
        foreach (var key in mcses)
            if (objects.MultiClusterServices.TryGetValue(key, out var mcs)) RequireMcsSchema(mcs);
    }

    /// <summary>What our MultiClusterService CRD refuses: no spec, or a spec.serviceImport without a valid name.
    /// (A spec without serviceImport passes the CRD, as upstream's does, and shows as Valid=False.)</summary>
    private static void RequireMcsSchema(MultiClusterServiceResource mcs)
    {
        if (mcs.Spec is null) throw new FleetValidationException("spec", "is required");
        var spec = MemberTranslator.McsSpec(mcs);
        if (mcs.Spec.ServiceImport is not null) MultiClusterServiceValidation.RequireValid(spec);
        else MultiClusterServiceValidation.Validate(spec);
    }

    private static string? Warning(ManifestObject o) => MemberObjectKinds.Classify(o) == MemberObjectKind.Other
        ? $"stored; FleetL4 does not act on {o.ApiVersion} {o.Kind}"
        : null;

    // By API group, not version: v1alpha1 and v1beta1 ServiceExports of one name are one object.
    private static string Key(ManifestObject o) => $"{FleetApi.GroupOf(o.ApiVersion)}|{o.Kind}|{o.Namespace}|{o.Name}";

    private static string Key(ResourceId r) => $"{r.Group}|{r.Kind}|{r.Namespace}|{r.Name}";
}
