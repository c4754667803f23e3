namespace FleetL4.FakeArm;

/// <summary>
/// Every Retry-After this server has given, by scope: a subscription's writes or reads (its budget), or one
/// resource and everything below it (a busy or throttled load balancer). A request inside a scope before its time
/// is a violation: the caller did not wait as told.
/// </summary>
internal sealed class RetryAfterLedger
{
    // Timers can fire a little before the time asked for; that is not the caller's fault.
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(50);

    private readonly List<Park> _parks = [];

    private sealed record Park(string Scope, bool? Writes, DateTimeOffset Given, DateTimeOffset Until, string Code);

    /// <summary>A 429 for the whole subscription: the same kind of request (write or read) must wait.</summary>
    public void ParkSubscription(string subscriptionId, bool writes, DateTimeOffset now, TimeSpan retryAfter, string code) =>
        _parks.Add(new Park($"/subscriptions/{subscriptionId}", writes, now, now + retryAfter, code));

    /// <summary>A 429 for one resource: every request to it (and its children) must wait.</summary>
    public void ParkResource(string resourceId, DateTimeOffset now, TimeSpan retryAfter, string code) =>
        _parks.Add(new Park(resourceId, null, now, now + retryAfter, code));

    /// <summary>The violation this request commits, if it comes too early for a scope it is in.</summary>
    public string? Check(string path, bool isWrite, DateTimeOffset now)
    {
        _parks.RemoveAll(p => p.Until <= now - Grace);
        var park = _parks.FirstOrDefault(p => (p.Writes is null || p.Writes == isWrite) && InScope(path, p.Scope) && now < p.Until - Grace);
        if (park is null) return null;
        var what = park.Writes switch { true => "writes of ", false => "reads of ", null => "" };
        return $"{(park.Until - now).TotalSeconds:0.000} s before the Retry-After given at {park.Given:HH:mm:ss.fff} " +
            $"({park.Code}, until {park.Until:HH:mm:ss.fff}) for {what}{park.Scope}";
    }

    private static bool InScope(string path, string scope) =>
        path.StartsWith(scope, StringComparison.OrdinalIgnoreCase) && (path.Length == scope.Length || path[scope.Length] == '/');
}
