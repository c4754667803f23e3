using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace FleetL4.Agent;

/// <summary>
/// Which resource (plural) and scope a kind is on the member's API server, from its discovery document of the
/// kind's group/version: read once and kept. A kind the document lacks is looked up again at most once per round
/// (<see cref="NewRound"/>), so a CRD installed meanwhile is found without asking on every object.
/// Used by one loop at a time.
/// </summary>
public sealed class ApiDiscovery(IKubernetes k8s)
{
    public sealed record ServedKind(string Plural, bool Namespaced);

    private readonly Dictionary<string, IReadOnlyDictionary<string, ServedKind>> _byGroupVersion = new(StringComparer.Ordinal);
    private readonly HashSet<string> _readThisRound = new(StringComparer.Ordinal);

    public void NewRound() => _readThisRound.Clear();

    /// <summary>Forgets a group/version (its kind went away, e.g. a CRD deleted): read again when next asked.</summary>
    public void Forget(string group, string version) => _byGroupVersion.Remove(Key(group, version));

    /// <summary>The kind as served, or null when the API server does not serve it.</summary>
    public async Task<ServedKind?> Find(string group, string version, string kind, CancellationToken ct)
    {
        var key = Key(group, version);
        if (_byGroupVersion.TryGetValue(key, out var kinds))
        {
            if (kinds.TryGetValue(kind, out var served)) return served;
            if (_readThisRound.Contains(key)) return null;
        }
        _byGroupVersion[key] = kinds = await Read(group, version, ct); // a failure to read it is the caller's to retry
        _readThisRound.Add(key);
        return kinds.GetValueOrDefault(kind);
    }

    private async Task<IReadOnlyDictionary<string, ServedKind>> Read(string group, string version, CancellationToken ct)
    {
        try
        {
            // The custom-objects list with no plural is GET /apis/{group}/{version}/, the group/version's discovery
            // document (the client turns the core group's apis//v1/ into api/v1/).
            var list = await k8s.CustomObjects.ListClusterCustomObjectAsync<V1APIResourceList>(group, version, "", cancellationToken: ct);
            return (list.Resources ?? []).Where(r => !r.Name.Contains('/', StringComparison.Ordinal)) // not subresources
                .GroupBy(r => r.Kind, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new ServedKind(g.First().Name, g.First().Namespaced), StringComparer.Ordinal);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return new Dictionary<string, ServedKind>(); // the group/version is not served at all
        }
    }

    private static string Key(string group, string version) => FleetApi.ApiVersion(group, version);
}
