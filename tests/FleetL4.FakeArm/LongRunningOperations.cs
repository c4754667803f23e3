using System.Diagnostics;
using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

/// <summary>
/// The operations NRP runs for PUTs and DELETEs. Time moves on when a request arrives: every operation whose time
/// has come ends then, in the order they started, so no timer thread touches the resources.
/// </summary>
internal sealed class LongRunningOperations(FakeArmOptions options)
{
    private readonly Dictionary<string, ArmOperation> _all = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ArmOperation> _running = [];
    private readonly Random _random = new();

    public int InProgress => _running.Count;

    public ArmOperation? Find(string id) => _all.GetValueOrDefault(id);

    /// <summary>Starts an operation on <paramref name="resource"/>; an operation still running on it is canceled.</summary>
    public ArmOperation Start(StoredResource resource, string name, DateTimeOffset now, TimeSpan? duration, JsonObject? failWith, Action<bool> complete)
    {
        var length = duration ?? Duration();
        var operation = new ArmOperation
        {
            Id = Guid.NewGuid().ToString(),
            Name = name,
            ResourceId = resource.Id,
            Location = resource.Location,
            StartTime = now,
            DueAt = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency),
            FailWith = failWith,
            Complete = complete,
        };
        if (resource.Operation is { Status: OperationStatus.InProgress } earlier) Supersede(earlier, operation);
        resource.Operation = operation;
        _all[operation.Id] = operation;
        _running.Add(operation);
        return operation;
    }

    /// <summary>Ends every operation that is due.</summary>
    public void Advance()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var operation in _running.Where(o => o.DueAt <= now).ToList())
        {
            _running.Remove(operation);
            operation.Status = operation.FailWith is null ? OperationStatus.Succeeded : OperationStatus.Failed;
            operation.Error = operation.FailWith;
            operation.Complete(operation.FailWith is null);
        }
    }

    /// <summary>NRP cancels the earlier of two writes on one resource; the later one's goal state wins.</summary>
    private void Supersede(ArmOperation earlier, ArmOperation later)
    {
        _running.Remove(earlier);
        earlier.Status = OperationStatus.Canceled;
        earlier.Error = new JsonObject
        {
            ["code"] = ArmErrorCodes.Canceled,
            ["message"] = "Operation was canceled.",
            ["details"] = new JsonArray(new JsonObject
            {
                ["code"] = ArmErrorCodes.CanceledAndSupersededDueToAnotherOperation,
                ["message"] = $"Operation {earlier.Name} ({earlier.Id}) was canceled and superseded by operation {later.Name} ({later.Id}).",
            }),
        };
    }

    private TimeSpan Duration()
    {
        var min = options.MinOperationDuration.Ticks;
        var max = options.MaxOperationDuration.Ticks;
        return TimeSpan.FromTicks(min + (long)(_random.NextDouble() * (max - min)));
    }
}
