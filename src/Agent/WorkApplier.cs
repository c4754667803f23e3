using System.Net;
using System.Text.Json;
using FleetL4.Models;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FleetL4.Agent;

/// <summary>
/// Puts on the member what placements placed on it (<see cref="ClusterWork"/>): every object by server-side apply
/// (field manager <see cref="PlacementApi.FieldManager"/>, forced: the hub's object wins over other managers),
/// Namespaces first, then the rest in the order given; then deletes each object no longer placed, Namespaces last.
/// It reports each object with the API server's own message. A kind the member does not serve fails that object
/// only. An object to remove that is gone (404), of a kind not served, or without the placement label (made by
/// someone else, left alone) counts as removed. Writes wait for the agent's request budget.
/// </summary>
public sealed class WorkApplier(IKubernetes k8s, RequestBudget writes, ILogger logger)
{
    private readonly ApiDiscovery _discovery = new(k8s);

    /// <summary>What one round did: the report for the hub, and whether the API server failed in a way worth trying
    /// again (5xx, 429, no answer), as opposed to refusing an object (4xx), which only a change of the work mends.</summary>
    public sealed record Outcome(ClusterWorkReport Report, bool Retry);

    public async Task<Outcome> ApplyAsync(ClusterWork work, CancellationToken ct)
    {
        _discovery.NewRound();
        var retry = false;
        var results = new Dictionary<(int Placement, int Object), ResourceApplyResult>();
        var all = work.Placements.SelectMany((p, pi) => p.Objects.Select((o, oi) => (Key: (pi, oi), Object: o))).ToList();
        foreach (var (key, o) in all.Where(x => IsNamespace(ResourceId.Of(x.Object))).Concat(all.Where(x => !IsNamespace(ResourceId.Of(x.Object)))))
        {
            var (result, transient) = await Apply(o, ct);
            results[key] = result;
            retry |= transient;
        }
        var removed = new List<ResourceId>();
        foreach (var id in work.Remove.OrderBy(r => IsNamespace(r) ? 1 : 0))
        {
            var (gone, transient) = await Remove(id, ct);
            if (gone) removed.Add(id);
            retry |= transient;
        }
        var reports = work.Placements.Select((p, pi) => new WorkReport(p.Placement, p.Revision, [.. p.Objects.Select((_, oi) => results[(pi, oi)])]));
        return new Outcome(new ClusterWorkReport([.. reports], removed), retry);
    }

    private async Task<(ResourceApplyResult Result, bool Transient)> Apply(ManifestObject o, CancellationToken ct)
    {
        var id = ResourceId.Of(o);
        try
        {
            if (await _discovery.Find(id.Group, id.Version, id.Kind, ct) is not { } served)
                return (new ResourceApplyResult(id, false, $"the member's API server does not serve {id.ApiVersion} {id.Kind}"), false);
            await writes.WaitAsync(ct);
            var patch = new V1Patch(o.Json, V1Patch.PatchType.ApplyPatch);
            if (served.Namespaced)
                await k8s.CustomObjects.PatchNamespacedCustomObjectAsync(patch, id.Group, id.Version, id.Namespace ?? "default", served.Plural, id.Name,
                    fieldManager: PlacementApi.FieldManager, force: true, cancellationToken: ct);
            else
                await k8s.CustomObjects.PatchClusterCustomObjectAsync(patch, id.Group, id.Version, served.Plural, id.Name,
                    fieldManager: PlacementApi.FieldManager, force: true, cancellationToken: ct);
            return (new ResourceApplyResult(id, true), false);
        }
        catch (Exception ex) when (Failure(ex, ct) is { } failure)
        {
            if (ex is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound }) _discovery.Forget(id.Group, id.Version);
            logger.LogWarning("Applying {Object} failed: {Error}", id, failure.Message);
            return (new ResourceApplyResult(id, false, failure.Message), failure.Transient);
        }
    }

    /// <summary>Deletes a placed object that is no longer placed; true when it is gone (or was never ours).</summary>
    private async Task<(bool Gone, bool Transient)> Remove(ResourceId id, CancellationToken ct)
    {
        try
        {
            if (await _discovery.Find(id.Group, id.Version, id.Kind, ct) is not { } served) return (true, false);
            var ns = served.Namespaced ? id.Namespace ?? "default" : null;
            var current = ns is null
                ? await k8s.CustomObjects.GetClusterCustomObjectAsync<JsonElement>(id.Group, id.Version, served.Plural, id.Name, ct)
                : await k8s.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(id.Group, id.Version, ns, served.Plural, id.Name, ct);
            var metadata = current.GetProperty("metadata");
            if (!metadata.TryGetProperty("labels", out var labels) || !labels.TryGetProperty(PlacementApi.ParentLabel, out _))
            {
                logger.LogInformation("Not deleting {Object}: it has no {Label} label, so no placement put it there", id, PlacementApi.ParentLabel);
                return (true, false);
            }
            // Only the object read: one re-created meanwhile (another uid) is read again on the next round.
            var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = metadata.GetProperty("uid").GetString() } };
            await writes.WaitAsync(ct);
            if (ns is null)
                await k8s.CustomObjects.DeleteClusterCustomObjectAsync(id.Group, id.Version, served.Plural, id.Name, options, cancellationToken: ct);
            else
                await k8s.CustomObjects.DeleteNamespacedCustomObjectAsync(id.Group, id.Version, ns, served.Plural, id.Name, options, cancellationToken: ct);
            return (true, false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return (true, false);
        }
        catch (Exception ex) when (Failure(ex, ct) is { } failure)
        {
            logger.LogWarning("Removing {Object} failed: {Error}", id, failure.Message);
            return (false, failure.Transient || ex is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict });
        }
    }

    /// <summary>What a request's failure says (the API server's Status message) and whether to try again; null for
    /// what is not a request's failure (our own cancellation, a bug).</summary>
    private static (string Message, bool Transient)? Failure(Exception ex, CancellationToken ct) => ex switch
    {
        HttpOperationException h => (StatusMessage(h), (int)h.Response.StatusCode >= 500 || h.Response.StatusCode == HttpStatusCode.TooManyRequests),
        HttpRequestException => ($"the member's API server did not answer: {ex.Message}", true),
        OperationCanceledException when !ct.IsCancellationRequested => ("the member's API server did not answer in time", true),
        _ => null,
    };

    /// <summary>The message of the kind: Status the API server answered with, else its HTTP status.</summary>
    private static string StatusMessage(HttpOperationException ex)
    {
        try
        {
            using var status = JsonDocument.Parse(ex.Response.Content ?? "");
            if (status.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text) return text;
        }
        catch (JsonException)
        {
            // not a Status: fall through to the HTTP status
        }
        return $"{(int)ex.Response.StatusCode} {ex.Response.ReasonPhrase}";
    }

    private static bool IsNamespace(ResourceId id) => id.Group.Length == 0 && id.Kind == FleetApi.Namespace;
}
