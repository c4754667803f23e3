using System.Collections.Concurrent;

namespace FleetL4.Telemetry;

/// <summary>What gauge <c>fleetl4.import.endpoints</c> reads for one ServiceImport: its backend count, set by the
/// import grain on every change. Disposing removes the row, unless a newer activation of the import (on another
/// silo of the same process, in tests) has replaced it.</summary>
public sealed class ImportSize : IDisposable
{
    private readonly ConcurrentDictionary<string, ImportSize> _table;
    private long _endpoints;

    internal ImportSize(string name, ConcurrentDictionary<string, ImportSize> table) => (Name, _table) = (name, table);

    public string Name { get; }

    public long Endpoints => Volatile.Read(ref _endpoints);

    public void Set(long endpoints) => Volatile.Write(ref _endpoints, endpoints);

    public void Dispose() => _table.TryRemove(new KeyValuePair<string, ImportSize>(Name, this));
}
