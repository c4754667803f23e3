using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace FleetL4.Benchmarks;

/// <summary>
/// Wraps the hub's grain storage to count its calls (<see cref="StorageCounter"/>): the benchmark's measure of how
/// many storage writes an endpoint update costs, the same for memory and Azure blob storage.
/// </summary>
public sealed class CountingGrainStorage(IGrainStorage inner, StorageCounter counter) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Replaces the keyed registration of storage <paramref name="name"/> (added just before) with a counting wrapper.</summary>
    public static void Decorate(IServiceCollection services, string name, StorageCounter counter)
    {
        var registered = services.LastOrDefault(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, name))
                         ?? throw new InvalidOperationException($"no grain storage named {name} is registered");
        var factory = registered.KeyedImplementationFactory
                      ?? throw new InvalidOperationException($"grain storage {name} is not registered by a factory");
        services.Remove(registered);
        // Orleans registers the storage's lifecycle participant by resolving this same key: the wrapper forwards it.
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, key) => new CountingGrainStorage((IGrainStorage)factory(sp, key), counter));
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        counter.Read();
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var t0 = Stopwatch.GetTimestamp();
        await inner.WriteStateAsync(stateName, grainId, grainState);
        counter.Wrote(stateName, grainId, Stopwatch.GetTimestamp() - t0);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        counter.Cleared();
        return inner.ClearStateAsync(stateName, grainId, grainState);
    }

    public void Participate(ISiloLifecycle observer) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(observer);
}
