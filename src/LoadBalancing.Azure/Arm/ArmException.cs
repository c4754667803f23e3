using System.Net;

namespace FleetL4.LoadBalancing.Azure.Arm;

/// <summary>What ARM or the network resource provider refused, and what to do about it.</summary>
/// <param name="Status">HTTP status of the answer (200 for a long-running operation that ended Failed or Canceled).</param>
/// <param name="Code">ARM's error code (e.g. AnotherOperationInProgress, CanceledAndSupersededDueToAnotherOperation).</param>
/// <param name="RetryAfter">Retry-After of a 429, if given.</param>
public sealed class ArmException(HttpStatusCode status, string code, string message, TimeSpan? retryAfter = null)
    : Exception($"{(int)status} {code}: {message}")
{
    public HttpStatusCode Status { get; } = status;
    public string Code { get; } = code;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The subscription's (or region's) request budget is used up: everything waits, not just this LB.</summary>
    public bool IsSubscriptionThrottle => Status == HttpStatusCode.TooManyRequests && !IsBusyResource;

    /// <summary>The resource is busy with another operation (NRP answers 429 or 409): retry later, it is not a quota.</summary>
    public bool IsBusyResource => Code is "RetryableErrorDueToAnotherOperation" or "AnotherOperationInProgress"
        or "CanceledAndSupersededDueToAnotherOperation" or "Canceled";

    /// <summary>The etag moved since we read it: read again and redo the diff.</summary>
    public bool IsPreconditionFailed => Status == HttpStatusCode.PreconditionFailed;
}
