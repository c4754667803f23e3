using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FleetL4.KubernetesWatch;

/// <summary>
/// The list/watch/cache loop KubernetesClient does not have, written once for every kind: list, watch from the
/// list's resourceVersion with bookmarks, re-watch when the server ends the stream, relist at once on 410 Gone,
/// and on any other failure relist after capped exponential backoff with jitter. A relist is diffed against the
/// cache, so deletions missed while disconnected are seen and nothing is reported twice.
/// </summary>
public sealed class ResourceWatcher<T>(
    WatchSource<T> source,
    Action<IReadOnlyList<WatchChange<T>>> onChanges,
    IWatchOptions options,
    ILogger logger,
    TimeProvider? clock = null) where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Dictionary<NamespacedName, T> _cache = [];
    private readonly Lock _lock = new();
    // A watcher just started has not lost its API server yet: the outage bound counts from its start.
    private long _lastContactTicks = (clock ?? TimeProvider.System).GetUtcNow().UtcTicks;

    public string Name => source.Name;

    /// <summary>The first list has been loaded.</summary>
    public bool Synced { get; private set; }

    /// <summary>When the API server last answered (list, event, bookmark, or a watch it ended normally).</summary>
    public DateTimeOffset LastContact => new(Interlocked.Read(ref _lastContactTicks), TimeSpan.Zero);

    public int Relists { get; private set; }

    /// <summary>The newest resourceVersion seen (lists, events of every type, bookmarks). resourceVersions are
    /// cluster-wide revisions, so this rises with deletions too.</summary>
    public long HighestResourceVersion => Interlocked.Read(ref _highest);

    private long _highest;

    private void Saw(string? resourceVersion)
    {
        if (!long.TryParse(resourceVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rv)) return;
        long seen;
        while (rv > (seen = Interlocked.Read(ref _highest)) && Interlocked.CompareExchange(ref _highest, rv, seen) != seen) { }
    }

    public IReadOnlyList<T> Items()
    {
        lock (_lock) return _cache.Values.ToArray();
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = new Backoff(options.BackoffMin, options.BackoffMax);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var (items, resourceVersion) = await source.ListAsync(ct);
                Contact();
                Saw(resourceVersion);
                Relists++;
                Replace(items);
                Synced = true;
                backoff.Reset();
                while (!ct.IsCancellationRequested)
                {
                    var next = await WatchOnce(resourceVersion, ct);
                    if (next is null) break; // 410 Gone: relist now
                    resourceVersion = next;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsGone(ex))
            {
                logger.LogInformation("{Kind}: resourceVersion expired (410 Gone); relisting", Name);
            }
            catch (Exception ex)
            {
                var delay = backoff.Next();
                logger.LogWarning("{Kind}: {Error}; relisting in {Delay:0.0}s", Name, ex.Message, delay.TotalSeconds);
                try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>One watch request; returns the resourceVersion to continue from, or null when a relist is needed.</summary>
    private async Task<string?> WatchOnce(string resourceVersion, CancellationToken ct)
    {
        Exception? error = null;
        // Each watch ends well within the outage bound, so a quiet but healthy API server still counts as in contact.
        var timeout = (int)Math.Max(1, Math.Min(options.WatchTimeout.TotalSeconds, options.ApiOutageBound.TotalSeconds / 3));
        try
        {
            await foreach (var (type, obj) in source.WatchAsync(resourceVersion, timeout, e => error ??= e, ct))
            {
                Contact();
                if (obj?.Metadata?.ResourceVersion is { } rv)
                {
                    resourceVersion = rv;
                    Saw(rv);
                }
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified:
                        Apply([Upsert(obj!)]);
                        break;
                    case WatchEventType.Deleted:
                        Apply([Remove(obj!)]);
                        break;
                }
            }
        }
        catch (Exception ex) when (IsEndOfStream(ex))
        {
            // The server closed the stream: continue from the last resourceVersion seen.
        }
        if (error is not null && !IsEndOfStream(error))
        {
            if (IsGone(error)) return null;
            throw error;
        }
        Contact();
        return resourceVersion;
    }

    private void Replace(IReadOnlyList<T> items)
    {
        var changes = new List<WatchChange<T>?>();
        lock (_lock)
        {
            var seen = new HashSet<NamespacedName>();
            foreach (var item in items)
            {
                seen.Add(Key(item));
                changes.Add(UpsertLocked(item));
            }
            foreach (var gone in _cache.Keys.Where(k => !seen.Contains(k)).ToArray())
            {
                changes.Add(new WatchChange<T>(gone, _cache[gone], default));
                _cache.Remove(gone);
            }
        }
        Apply(changes);
    }

    private WatchChange<T>? Upsert(T item)
    {
        lock (_lock) return UpsertLocked(item);
    }

    private WatchChange<T>? UpsertLocked(T item)
    {
        var key = Key(item);
        _cache.TryGetValue(key, out var old);
        // A replayed event or an unchanged object after a relist is no change.
        if (old is not null && old.Metadata?.ResourceVersion == item.Metadata?.ResourceVersion) return null;
        _cache[key] = item;
        return new WatchChange<T>(key, old, item);
    }

    private WatchChange<T>? Remove(T item)
    {
        var key = Key(item);
        lock (_lock)
            return _cache.Remove(key, out var old) ? new WatchChange<T>(key, old, default) : null;
    }

    private void Apply(IEnumerable<WatchChange<T>?> changes)
    {
        var real = changes.OfType<WatchChange<T>>().ToArray();
        if (real.Length > 0) onChanges(real);
    }

    private void Contact() => Interlocked.Exchange(ref _lastContactTicks, _clock.GetUtcNow().UtcTicks);

    // Cluster-scoped objects have no namespace; one kind never mixes the two.
    private static NamespacedName Key(T item) => new(item.Metadata?.NamespaceProperty ?? "default", item.Metadata?.Name ?? "");

    // KubernetesClient reports a stream the server closed (timeoutSeconds, a restart) as an error: it is a normal end.
    private static bool IsEndOfStream(Exception? ex) => ex is not null && (ex is EndOfStreamException || IsEndOfStream(ex.InnerException));

    private static bool IsGone(Exception ex) => ex switch
    {
        KubernetesException k => k.Status?.Code == 410,
        HttpOperationException h => (int)h.Response.StatusCode == 410,
        _ => ex.InnerException is not null && IsGone(ex.InnerException),
    };
}
