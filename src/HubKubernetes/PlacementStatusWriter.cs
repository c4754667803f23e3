using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using FleetL4.HubApi;
using FleetL4.KubernetesWatch;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FleetL4.HubKubernetes;

/// <summary>
/// Writes each ClusterResourcePlacement's status (<see cref="PlacementStatus"/>) to its /status subresource with a
/// merge patch, when what it shows differs. Level-triggered and pushed: a placement is looked at when the hub says
/// its status changed (<see cref="Touch"/> from the placement observer) and when its own watch event arrives; the
/// names touched within one coalescing window are looked at once each, so a burst of member reports is one write.
/// Nothing runs while nothing is touched. A failed write is tried again after capped backoff.
/// </summary>
public sealed class PlacementStatusWriter(IKubernetes k8s, FleetGrains fleet, HubKubernetesOptions options, ILogger logger, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, UnstructuredObject> _shown = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string? Uid, long Generation, string Message)> _refusals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    // One pending wake-up at most: a touch while one is pending is taken by the same round.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Backoff _backoff = new(options.BackoffMin, options.BackoffMax);
    private int _writes;

    private readonly ConcurrentDictionary<string, int> _looks = new(StringComparer.Ordinal);

    /// <summary>Status patches sent.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>How often a placement's status was compared with the hub's (and written where it differed).</summary>
    public int Looks(string name) => _looks.GetValueOrDefault(name);

    /// <summary>The placement as its watch shows it (kept unless older than what a write returned); looked at again.</summary>
    public void Seen(UnstructuredObject crp)
    {
        var name = crp.Metadata.Name;
        _shown.AddOrUpdate(name, crp, (_, old) => Newer(crp, old) ? crp : old);
        Touch(name);
    }

    public void Gone(string name)
    {
        _shown.TryRemove(name, out _);
        _refusals.TryRemove(name, out _);
    }

    /// <summary>The hub refused this generation of the placement: shown as Scheduled False InvalidSpec.</summary>
    public void Refused(UnstructuredObject crp, string message)
    {
        _refusals[crp.Metadata.Name] = (crp.Metadata.Uid, crp.Metadata.Generation ?? 0, message);
        Touch(crp.Metadata.Name);
    }

    /// <summary>The hub took the placement (perhaps unchanged, so that it tells no observer): looked at again.</summary>
    public void Accepted(string name)
    {
        if (_refusals.TryRemove(name, out _)) Touch(name);
    }

    public void Touch(string name)
    {
        lock (_touched) _touched.Add(name);
        _wake.Writer.TryWrite(true);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _wake.Reader.ReadAsync(ct);
                if (options.StatusCoalescing > TimeSpan.Zero) await Task.Delay(options.StatusCoalescing, _clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            string[] names;
            lock (_touched)
            {
                names = [.. _touched];
                _touched.Clear();
            }
            try
            {
                await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, Write);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async ValueTask Write(string name, CancellationToken ct)
    {
        if (!_shown.TryGetValue(name, out var crp)) return;
        try
        {
            var view = await fleet.GetPlacementAsync(name);
            var refusal = _refusals.TryGetValue(name, out var r) && r.Uid == crp.Metadata.Uid && r.Generation == (crp.Metadata.Generation ?? 0) ? r.Message : null;
            var desired = PlacementStatus.Of(crp, view, refusal, _clock.GetUtcNow());
            var shown = Normal(crp.Field("status")) as JsonObject;
            if (desired is null || JsonNode.DeepEquals(Normal(desired), shown)) return;
            // A merge patch replaces the arrays whole; keys the status should no longer have are removed with null.
            var patch = (JsonObject)desired.DeepClone();
            foreach (var (key, _) in shown ?? []) if (!patch.ContainsKey(key)) patch[key] = null;
            var written = await k8s.CustomObjects.PatchClusterCustomObjectStatusAsync<UnstructuredObject>(
                new V1Patch(new JsonObject { ["status"] = patch }.ToJsonString(), V1Patch.PatchType.MergePatch),
                PlacementApi.Group, PlacementApi.Version, PlacementApi.Plural, name, cancellationToken: ct);
            Interlocked.Increment(ref _writes);
            _backoff.Reset();
            // Until the watch brings this write back, compare with what it returned (no second write of the same status).
            _shown.AddOrUpdate(name, written, (_, old) => Newer(written, old) ? written : old);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted meanwhile: its watch event says so.
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var delay = _backoff.Next();
            logger.LogWarning("ClusterResourcePlacement {Name}: writing its status failed: {Error}; again in {Delay:0.0}s", name, ex.Message, delay.TotalSeconds);
            _ = Task.Delay(delay, _clock, ct).ContinueWith(_ => Touch(name), ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
        finally
        {
            _looks.AddOrUpdate(name, 1, (_, n) => n + 1);
        }
    }

    // One JSON form for comparing (numbers and strings as parsed, whatever built them).
    private static JsonNode? Normal(JsonNode? node) => node is null ? null : JsonNode.Parse(node.ToJsonString());

    // resourceVersions are opaque strings; the API server's (and the fake's) are increasing integers.
    private static bool Newer(UnstructuredObject candidate, UnstructuredObject current) =>
        candidate.Metadata.Uid != current.Metadata.Uid
        || !long.TryParse(candidate.Metadata.ResourceVersion, out var a) || !long.TryParse(current.Metadata.ResourceVersion, out var b) || a >= b;
}
