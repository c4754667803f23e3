using System.Text.RegularExpressions;

namespace FleetL4.FakeArm;

public enum FakeArmFaultKind
{
    /// <summary>429 with Retry-After; <see cref="FakeArmFault.Scope"/> says whether the load balancer or the subscription is throttled.</summary>
    TooManyRequests,

    /// <summary>409 AnotherOperationInProgress (no Retry-After).</summary>
    AnotherOperationInProgress,

    /// <summary>429 RetryableErrorDueToAnotherOperation with Retry-After: the resource is busy, not a quota.</summary>
    RetryableErrorDueToAnotherOperation,

    /// <summary>412 PreconditionFailed, as if the etag had changed.</summary>
    PreconditionFailed,

    /// <summary>500 InternalServerError.</summary>
    InternalServerError,

    /// <summary>The write is accepted, and its long-running operation ends Failed (the resource's state: Failed).</summary>
    OperationFailed,

    /// <summary>The write is accepted, and its long-running operation takes <see cref="FakeArmFault.Delay"/>.</summary>
    SlowOperation,

    /// <summary>The answer comes after <see cref="FakeArmFault.Delay"/> (then the request is served as usual).</summary>
    SlowAnswer,
}

public enum ThrottleScope
{
    /// <summary>The resource the request addresses (for a pool: its load balancer) and everything below it.</summary>
    Resource,

    /// <summary>Every request of the same kind (write or read) in the subscription.</summary>
    Subscription,
}

/// <summary>
/// A fault for the next <see cref="Times"/> requests that match <see cref="Method"/> and <see cref="Path"/>
/// (a regular expression over the request path, without case). Build one with the factory methods and narrow it
/// with <c>with</c>: <c>FakeArmFault.Throttled(TimeSpan.FromSeconds(2)) with { Method = "PUT", Path = "/loadBalancers/lb1$" }</c>.
/// </summary>
public sealed record FakeArmFault
{
    public required FakeArmFaultKind Kind { get; init; }

    /// <summary>HTTP method to match (null: any).</summary>
    public string? Method { get; init; }

    /// <summary>Regular expression matched against the request path (null: any).</summary>
    public string? Path { get; init; }

    /// <summary>How many matching requests get the fault.</summary>
    public int Times { get; init; } = 1;

    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    public ThrottleScope Scope { get; init; } = ThrottleScope.Resource;

    public TimeSpan Delay { get; init; }

    /// <summary>The error of an <see cref="FakeArmFaultKind.OperationFailed"/> operation.</summary>
    public string ErrorCode { get; init; } = ArmErrorCodes.InternalServerError;

    public string ErrorMessage { get; init; } = "An error occurred (injected by the fake ARM).";

    public static FakeArmFault Throttled(TimeSpan retryAfter, ThrottleScope scope = ThrottleScope.Resource) =>
        new() { Kind = FakeArmFaultKind.TooManyRequests, RetryAfter = retryAfter, Scope = scope };

    public static FakeArmFault AnotherOperationInProgress() => new() { Kind = FakeArmFaultKind.AnotherOperationInProgress };

    public static FakeArmFault RetryableErrorDueToAnotherOperation(TimeSpan retryAfter) =>
        new() { Kind = FakeArmFaultKind.RetryableErrorDueToAnotherOperation, RetryAfter = retryAfter };

    public static FakeArmFault PreconditionFailed() => new() { Kind = FakeArmFaultKind.PreconditionFailed };

    public static FakeArmFault InternalServerError() => new() { Kind = FakeArmFaultKind.InternalServerError };

    public static FakeArmFault OperationFailed(string code = ArmErrorCodes.InternalServerError, string message = "An error occurred (injected by the fake ARM).") =>
        new() { Kind = FakeArmFaultKind.OperationFailed, ErrorCode = code, ErrorMessage = message };

    public static FakeArmFault SlowOperation(TimeSpan duration) => new() { Kind = FakeArmFaultKind.SlowOperation, Delay = duration };

    public static FakeArmFault SlowAnswer(TimeSpan delay) => new() { Kind = FakeArmFaultKind.SlowAnswer, Delay = delay };

    /// <summary>Faults about an operation apply only to requests that start one (PUT and DELETE).</summary>
    internal bool AppliesTo(string method, string path)
    {
        if (Method is not null && !Method.Equals(method, StringComparison.OrdinalIgnoreCase)) return false;
        if (Kind is FakeArmFaultKind.OperationFailed or FakeArmFaultKind.SlowOperation && method is not ("PUT" or "DELETE")) return false;
        return Path is null || Regex.IsMatch(path, Path, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}

/// <summary>A fault that has been injected: how often it has struck, and how many strikes are left.</summary>
public sealed class InjectedFault
{
    private int _hits;

    internal InjectedFault(FakeArmFault fault) => Fault = fault;

    public FakeArmFault Fault { get; }

    public int Hits => Volatile.Read(ref _hits);

    public int Remaining => Math.Max(0, Fault.Times - Hits);

    /// <summary>Called under the injector's lock.</summary>
    internal bool TryStrike(string method, string path)
    {
        if (Remaining == 0 || !Fault.AppliesTo(method, path)) return false;
        Interlocked.Increment(ref _hits);
        return true;
    }
}
