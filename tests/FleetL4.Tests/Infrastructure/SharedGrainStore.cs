using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace FleetL4.Tests.Infrastructure;

/// <summary>
/// Grain storage that outlives silos, like Azure Table storage does: every silo of a test cluster (and of a
/// cluster started again later) reads and writes the same dictionary, with etag checks.
/// </summary>
public sealed class SharedGrainStore
{
    internal readonly ConcurrentDictionary<string, (byte[] Data, string ETag)> Entries = new();
    private long _etag;

    internal string NextETag() => Interlocked.Increment(ref _etag).ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal readonly ConcurrentDictionary<string, int> WriteCounts = new();

    /// <summary>How many writes went to entries whose key contains <paramref name="keyPart"/> (e.g. a grain key).</summary>
    public int Writes(string keyPart) => WriteCounts.Where(kv => kv.Key.Contains(keyPart, StringComparison.Ordinal)).Sum(kv => kv.Value);
}

public sealed class SharedGrainStorage(SharedGrainStore store, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.Entries.TryGetValue(Key(stateName, grainId), out var entry))
        {
            grainState.State = serializer.Deserialize<T>(entry.Data);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        lock (store)
        {
            if (store.Entries.TryGetValue(key, out var entry) && entry.ETag != grainState.ETag)
                throw new InconsistentStateException($"etag mismatch for {key}", entry.ETag, grainState.ETag ?? "");
            var etag = store.NextETag();
            store.Entries[key] = (serializer.SerializeToArray(grainState.State), etag);
            store.WriteCounts.AddOrUpdate(key, 1, (_, n) => n + 1);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        store.Entries.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}|{grainId}";
}
