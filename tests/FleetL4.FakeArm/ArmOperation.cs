using System.Diagnostics;
using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

internal enum OperationStatus { InProgress, Succeeded, Failed, Canceled }

/// <summary>
/// One long-running operation, polled at its Azure-AsyncOperation URL. It ends at <see cref="DueAt"/> (real time),
/// unless a later write on the same resource supersedes it first.
/// </summary>
internal sealed class ArmOperation
{
    public required string Id { get; init; }

    /// <summary>NRP's operation name, e.g. PutLoadBalancerOperation.</summary>
    public required string Name { get; init; }

    public required string ResourceId { get; init; }

    public required string Location { get; init; }

    public required long DueAt { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    /// <summary>When it ends, it ends Failed with this error (an injected fault) instead of Succeeded.</summary>
    public JsonObject? FailWith { get; init; }

    /// <summary>What the resource becomes when the operation ends: true for success.</summary>
    public required Action<bool> Complete { get; init; }

    public OperationStatus Status { get; set; } = OperationStatus.InProgress;

    public JsonObject? Error { get; set; }

    public string AsyncOperationPath => $"/providers/{ArmRoute.Namespace}/locations/{Location}/operations/{Id}";

    public string ResultPath => $"/providers/{ArmRoute.Namespace}/locations/{Location}/operationResults/{Id}";

    public TimeSpan Age => Stopwatch.GetElapsedTime(StartTicks);

    public long StartTicks { get; } = Stopwatch.GetTimestamp();

    public JsonObject StatusBody()
    {
        var body = new JsonObject { ["name"] = Id, ["status"] = Status.ToString(), ["startTime"] = StartTime.ToString("O") };
        if (Error is not null) body["error"] = Error.DeepClone();
        return body;
    }
}
