using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Members;
using FleetL4.Members.Validation;
using FleetL4.Models;
using FleetL4.Runtime;
using FleetL4.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FleetL4;

/// <summary>
/// The hub's objects of one namespace (or, under <see cref="GrainKeys.ClusterScoped"/>, the cluster-scoped ones
/// other than Namespaces), stored like an API server stores them. Every change tells the placements (through the
/// hub directory), which select again.
/// </summary>
public sealed class HubObjectsGrain(
    [PersistentState("hubobjects", StorageNames.Fleet)] IPersistentState<HubObjectsState> state,
    [FromKeyedServices(GrainClock.Key)] TimeProvider clock,
    IOptions<FleetOptions> options) : Grain, IHubObjectsGrain
{
    private readonly FleetQuotas _quotas = options.Value.Quotas;

    private string Scope => this.GetPrimaryKeyString();

    private string Described => Scope == GrainKeys.ClusterScoped ? "the hub's cluster-scoped objects" : $"hub namespace {Scope}";

    public async Task<IReadOnlyList<ManifestResult>> Apply(IReadOnlyList<ManifestObject> objects)
    {
        var next = new Dictionary<string, ManifestObject>(state.State.Objects, StringComparer.Ordinal);
        var applied = new Dictionary<string, string>(state.State.Applied, StringComparer.Ordinal);
        var version = state.State.ResourceVersion;
        var results = new List<ManifestResult>();
        foreach (var o in objects)
        {
            Check(o);
            var key = Key(o);
            var userJson = JsonNode.Parse(o.Json)!.ToJsonString();
            if (applied.TryGetValue(key, out var before) && before == userJson)
            {
                results.Add(new ManifestResult(o.Kind, o.Namespace, o.Name, "unchanged"));
                continue;
            }
            var existing = next.GetValueOrDefault(key);
            next[key] = ObjectStamp.Stamp(o, existing, ++version, clock.GetUtcNow());
            applied[key] = userJson;
            results.Add(new ManifestResult(o.Kind, o.Namespace, o.Name, existing is null ? "created" : "configured"));
        }
        QuotaRules.RequireClusterObjects(_quotas, Described, state.State.Objects.Values, next.Values);
        if (version == state.State.ResourceVersion) return results;
        var wasEmpty = state.State.Objects.Count == 0;
        state.State.Objects = next;
        state.State.Applied = applied;
        state.State.ResourceVersion = version;
        await state.WriteStateAsync();
        if (wasEmpty) await Directory.SetNamespace(Scope, true);
        Directory.ResourcesChanged(Scope).Ignore();
        return results;
    }

    public async Task<IReadOnlyList<ManifestResult>> Delete(IReadOnlyList<ManifestObject> objects)
    {
        var results = new List<ManifestResult>();
        var removed = false;
        foreach (var o in objects)
        {
            Check(o);
            var key = Key(o);
            var gone = state.State.Objects.Remove(key);
            state.State.Applied.Remove(key);
            removed |= gone;
            results.Add(new ManifestResult(o.Kind, o.Namespace, o.Name, gone ? "deleted" : "not found"));
        }
        // Deleting a Namespace deletes everything in it, as on an API server.
        if (Scope != GrainKeys.ClusterScoped && objects.Any(o => o.Kind == FleetApi.Namespace && o.ApiVersion == FleetApi.CoreV1))
        {
            removed |= state.State.Objects.Count > 0;
            state.State.Objects.Clear();
            state.State.Applied.Clear();
        }
        if (!removed) return results;
        state.State.ResourceVersion++;
        await state.WriteStateAsync();
        if (state.State.Objects.Count == 0) await Directory.SetNamespace(Scope, false);
        Directory.ResourcesChanged(Scope).Ignore();
        return results;
    }

    public Task<IReadOnlyList<ManifestObject>> List() =>
        Task.FromResult<IReadOnlyList<ManifestObject>>(state.State.Objects.Values.ToArray());

    public Task<ManifestObject?> NamespaceObject() =>
        Task.FromResult(state.State.Objects.GetValueOrDefault($"|{FleetApi.Namespace}|{Scope}"));

    private IHubDirectoryGrain Directory => GrainFactory.GetGrain<IHubDirectoryGrain>(GrainKeys.Hub);

    /// <summary>Valid, and kept by this grain: in its namespace, or its Namespace object, or cluster-scoped under its key.</summary>
    private void Check(ManifestObject o)
    {
        ManifestValidation.Validate(o);
        try
        {
            QuotaRules.RequireObjectBytes(_quotas, o);
        }
        catch (FleetValidationException ex)
        {
            throw ex.In($"document {o.Document} ({MemberObjectKinds.Describe(o)})");
        }
        var scope = HubObjectScope.Of(o);
        if (scope != Scope) throw new InvalidOperationException($"{MemberObjectKinds.Describe(o)} belongs to hub scope {scope}, not {Scope}");
    }

    // By API group, not version, as an API server keys one resource served in several versions.
    private static string Key(ManifestObject o) => $"{FleetApi.GroupOf(o.ApiVersion)}|{o.Kind}|{o.Name}";
}
