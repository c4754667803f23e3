using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Members.Validation;
using FleetL4.Models;
using FleetL4.Runtime;
using FleetL4.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetL4;

/// <summary>
/// A ClusterResourcePlacement. Each reconcile is level-triggered: read the joined clusters and the hub's objects,
/// schedule (<see cref="PlacementScheduler"/>) and select (<see cref="ResourceSelection"/>), hand each chosen
/// cluster the revision it lacks, take back what dropped clusters had, and set the conditions
/// (<see cref="PlacementConditions"/>). It runs when the placement is applied and when the hub directory says that
/// clusters or hub objects changed; members' reports only update the per-cluster status.
/// </summary>
public sealed class PlacementGrain(
    [PersistentState("placement", StorageNames.Fleet)] IPersistentState<PlacementState> state,
    [FromKeyedServices(GrainClock.Key)] TimeProvider clock,
    IOptions<FleetOptions> options,
    ILogger<PlacementGrain> logger) : Grain, IPlacementGrain
{
    // A burst of changes (a thousand clusters joining) is one reconcile, not one each.
    private IGrainTimer? _reconcile;

    private string Name => this.GetPrimaryKeyString();

    private IHubDirectoryGrain Directory => GrainFactory.GetGrain<IHubDirectoryGrain>(GrainKeys.Hub);

    public async Task<ManifestResult> Apply(ManifestObject placement)
    {
        var spec = PlacementRules.Parse(placement);
        if (spec.Name != Name) throw new FleetValidationException("metadata.name", $"is \"{spec.Name}\", not \"{Name}\"");
        var userJson = JsonNode.Parse(placement.Json)!.ToJsonString();
        if (state.State.Exists && state.State.AppliedJson == userJson)
            return new ManifestResult(placement.Kind, null, Name, "unchanged");
        var action = state.State.Exists ? "configured" : "created";
        var node = JsonNode.Parse(placement.Json)!.AsObject();
        var old = state.State.Exists ? JsonNode.Parse(state.State.Json!)!.AsObject() : null;
        // As an API server counts it: the generation moves when the spec changes, not the labels.
        var specChanged = old is null || !JsonNode.DeepEquals(old["spec"], node["spec"]);
        if (!state.State.Exists)
        {
            state.State = new PlacementState { Exists = true, CreationTimestamp = clock.GetUtcNow() };
        }
        if (specChanged) state.State.Generation++;
        node.Remove("status");
        var meta = node["metadata"]!.AsObject();
        meta["creationTimestamp"] = ObjectStamp.Timestamp(state.State.CreationTimestamp);
        meta["uid"] = old?["metadata"]?["uid"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        meta["generation"] = state.State.Generation;
        state.State.Json = node.ToJsonString();
        state.State.AppliedJson = userJson;
        state.State.Spec = spec;
        await state.WriteStateAsync();
        await Directory.SetPlacement(Name, true);
        await ReconcileNow(); // the status is there when apply returns
        return new ManifestResult(placement.Kind, null, Name, action);
    }

    public async Task<bool> Delete()
    {
        if (!state.State.Exists) return false;
        await Task.WhenAll(state.State.Placed.Keys.Select(c => Work(c).Unplace(Name)));
        state.State = new PlacementState();
        await state.WriteStateAsync();
        await Directory.SetPlacement(Name, false);
        Directory.PlacementChanged(Name).Ignore();
        return true;
    }

    public Task<PlacementView> Get() => Task.FromResult(View());

    /// <summary>Reports taken but not yet written are written before the grain goes.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_saveReports is not null) await Save();
    }

    public Task Reconcile()
    {
        Schedule(options.Value.CoalescingWindow);
        return Task.CompletedTask;
    }

    private void Schedule(TimeSpan due) => _reconcile ??= this.RegisterGrainTimer(async _ =>
    {
        _reconcile?.Dispose();
        _reconcile = null;
        try
        {
            await ReconcileNow();
        }
        catch (Exception ex) when (ex is not FleetValidationException)
        {
            // A member or storage that failed now: try again, so the placement converges without another change.
            logger.LogWarning(ex, "Reconciling placement {Placement} failed; retrying", Name);
            Schedule(RetryAfter);
        }
    }, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private async Task ReconcileNow()
    {
        if (!state.State.Exists || state.State.Spec is not { } spec) return;
        var decision = PlacementScheduler.Schedule(spec.Policy, await Candidates(), state.State.Clusters);
        var placed = (await SelectedObjects(spec)).Select(o => PlacedObject.ForMember(o, Name)).ToList();
        var digest = Digest(placed);
        if (digest != state.State.ResourceDigest || state.State.RevisionGeneration != state.State.Generation)
        {
            state.State.Revision++;
            state.State.RevisionGeneration = state.State.Generation;
            state.State.ResourceDigest = digest;
            state.State.Resources = [.. placed.Select(ResourceId.Of)];
        }
        var work = new PlacedWork(Name, state.State.Revision, placed);
        var chosen = decision.Clusters.ToHashSet(StringComparer.Ordinal);
        var calls = new List<Task>();
        foreach (var cluster in decision.Clusters)
        {
            if (state.State.Placed.TryGetValue(cluster, out var revision) && revision == state.State.Revision) continue;
            state.State.Placed[cluster] = state.State.Revision;
            state.State.Statuses[cluster] = new ClusterPlacementStatus(cluster, ConditionStatuses.Unknown, PlacementApi.ApplyPending,
                $"revision {state.State.Revision} handed to the cluster", state.State.Statuses.GetValueOrDefault(cluster)?.AppliedRevision ?? 0, []);
            calls.Add(Work(cluster).Place(work));
        }
        foreach (var cluster in state.State.Placed.Keys.Where(c => !chosen.Contains(c)).ToList())
        {
            state.State.Placed.Remove(cluster);
            state.State.Statuses.Remove(cluster);
            calls.Add(Work(cluster).Unplace(Name));
        }
        state.State.Clusters = [.. decision.Clusters];
        await Task.WhenAll(calls);
        SetConditions(decision);
        await Save();
    }

    public Task Report(string cluster, WorkReport report)
    {
        // A report of an older revision, or from a cluster no longer chosen, says nothing about what is wanted now.
        if (!state.State.Exists || report.Revision != state.State.Revision || !state.State.Placed.ContainsKey(cluster)) return Task.CompletedTask;
        var failed = report.Results.Where(r => !r.Applied).ToList();
        state.State.Statuses[cluster] = failed.Count == 0
            ? new ClusterPlacementStatus(cluster, ConditionStatuses.True, PlacementApi.ApplySucceeded,
                $"applied {report.Results.Count} resources of revision {report.Revision}", report.Revision, [])
            : new ClusterPlacementStatus(cluster, ConditionStatuses.False, PlacementApi.ApplyFailed,
                $"failed to apply {failed.Count} of {report.Results.Count} resources: {failed[0].Resource}: {failed[0].Message}", report.Revision, failed);
        SetConditions(null);
        // A thousand clusters reporting one revision are one write of the status, not a thousand.
        _saveReports ??= this.RegisterGrainTimer(_ => Save(), new GrainTimerCreationOptions(options.Value.CoalescingWindow, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        return Task.CompletedTask;
    }

    private IGrainTimer? _saveReports;

    /// <summary>Sets the conditions: scheduling as decided now, or as last decided.</summary>
    private void SetConditions(ScheduleDecision? decision)
    {
        var scheduled = ConditionSet.Find(state.State.Conditions, PlacementApi.Scheduled);
        decision ??= new ScheduleDecision(state.State.Clusters, scheduled?.Status != ConditionStatuses.False, scheduled?.Message ?? "");
        var before = state.State.Conditions;
        state.State.Conditions = [.. PlacementConditions.Next(before, decision, state.State.Generation,
            [.. state.State.Statuses.Values], state.State.Revision, state.State.RevisionGeneration, clock.GetUtcNow())];
    }

    /// <summary>Stores the status and tells observers (the hub's write-back to its API server).</summary>
    private async Task Save()
    {
        _saveReports?.Dispose();
        _saveReports = null;
        await state.WriteStateAsync();
        Directory.PlacementChanged(Name).Ignore();
    }

    private async Task<IReadOnlyList<ClusterCandidate>> Candidates()
    {
        var names = await GrainFactory.GetGrain<IFleetDirectoryGrain>(GrainKeys.Directory).List();
        var views = await Task.WhenAll(names.Select(n => GrainFactory.GetGrain<IMemberClusterGrain>(n).Get()));
        return [.. views.Where(v => v.Joined).Select(v => new ClusterCandidate(v.Name, v.Labels))];
    }

    /// <summary>The hub objects the selectors name: each selected Namespace with everything in it, then the selected
    /// cluster-scoped objects; Namespaces first, so a member creates them before their contents.</summary>
    private async Task<IReadOnlyList<ManifestObject>> SelectedObjects(PlacementSpec spec)
    {
        var scopes = await Directory.Namespaces();
        var namespaces = (await Task.WhenAll(scopes.Where(s => s != GrainKeys.ClusterScoped).Select(s => Objects(s).NamespaceObject())))
            .OfType<ManifestObject>().ToList();
        var selected = ResourceSelection.Namespaces(spec.ResourceSelectors, namespaces);
        var contents = await Task.WhenAll(selected.Select(ns => Objects(ns).List()));
        var clusterScoped = scopes.Contains(GrainKeys.ClusterScoped)
            ? ResourceSelection.ClusterScoped(spec.ResourceSelectors, await Objects(GrainKeys.ClusterScoped).List())
            : [];
        return [.. contents.SelectMany(c => c).Concat(clusterScoped)
            .OrderBy(o => o.Kind == FleetApi.Namespace ? 0 : 1)
            .ThenBy(o => o.Namespace, StringComparer.Ordinal).ThenBy(o => o.Kind, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal)];
    }

    private static string Digest(IReadOnlyList<ManifestObject> placed)
    {
        var text = string.Join("\n", placed.Select(o => o.Json));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private PlacementView View() => new(Name, state.State.Exists, state.State.Json, state.State.Generation, state.State.CreationTimestamp,
        state.State.Conditions, state.State.Resources, [.. state.State.Statuses.Values.OrderBy(s => s.Cluster, StringComparer.Ordinal)],
        state.State.Revision);

    private IHubObjectsGrain Objects(string scope) => GrainFactory.GetGrain<IHubObjectsGrain>(scope);

    private IPlacedWorkGrain Work(string cluster) => GrainFactory.GetGrain<IPlacedWorkGrain>(cluster);
}
