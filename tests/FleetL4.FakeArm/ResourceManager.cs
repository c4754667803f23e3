using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FleetL4.FakeArm;

/// <summary>
/// ARM's front door in front of the fake NRP: authentication, api-versions, the subscription's read and write
/// budgets, injected faults, and the watch for what a client must never do (overlapping writes on one resource,
/// calls before a Retry-After). One lock serialises every request, as a single NRP partition would.
/// </summary>
internal sealed partial class ResourceManager
{
    private const string RemainingWrites = "x-ms-ratelimit-remaining-subscription-writes";
    private const string RemainingReads = "x-ms-ratelimit-remaining-subscription-reads";

    private readonly Lock _gate = new();
    private readonly FakeArmOptions _options;
    private readonly NetworkResourceProvider _network;
    private readonly RequestBudget _writes;
    private readonly RequestBudget _reads;
    private readonly RetryAfterLedger _retryAfter = new();
    private readonly List<ArmRequestRecord> _requests = [];
    private readonly List<ArmViolation> _violations = [];
    private readonly Dictionary<string, int> _writeCounts = new(StringComparer.OrdinalIgnoreCase);

    public ResourceManager(FakeArmOptions options, string token)
    {
        _options = options;
        Token = token;
        _network = new NetworkResourceProvider(options);
        _writes = new RequestBudget(options.WritesPer5Minutes);
        _reads = new RequestBudget(options.ReadsPer5Minutes);
    }

    public string Token { get; }

    public FaultInjector Faults { get; } = new();

    public VirtualNetwork Network => _network.Network;

    public ArmResponse Handle(ArmRequest request)
    {
        lock (_gate)
        {
            var now = _options.Clock.GetUtcNow();
            var response = Answer(request, now);
            _requests.Add(new ArmRequestRecord(now, request.Method, request.Path, response.Status, request.IsWrite, response.ErrorCode));
            return response;
        }
    }

    private ArmResponse Answer(ArmRequest request, DateTimeOffset now)
    {
        ArmRoute? route = null;
        int? remaining = null;
        TimeSpan delay = default;
        ArmResponse response;
        try
        {
            Authenticate(request.Authorization);
            route = ArmRoute.Parse(request.Path)
                ?? throw new ArmException(HttpStatusCode.NotFound, ArmErrorCodes.InvalidResourceType, $"No route matches '{request.Path}' in this fake ARM.");
            if (!route.Subscription.Equals(_options.SubscriptionId, StringComparison.OrdinalIgnoreCase))
                throw new ArmException(HttpStatusCode.NotFound, ArmErrorCodes.SubscriptionNotFound, $"The subscription '{route.Subscription}' could not be found.");
            CheckApiVersion(request.ApiVersion, route);
            if (request.BodyInvalid)
                throw ArmException.BadRequest(ArmErrorCodes.InvalidRequestContent, "The request content was invalid and could not be deserialized: a JSON object is required.");
            _network.Operations.Advance();
            Watch(request, route, now);

            var budget = request.IsWrite ? _writes : _reads;
            if (!budget.TryTake(now, out var left, out var retryAfter))
            {
                remaining = 0;
                throw SubscriptionThrottled(request, retryAfter, request.IsWrite ? _options.WritesPer5Minutes : _options.ReadsPer5Minutes);
            }
            remaining = left;

            var fault = Faults.Take(request.Method, request.Path);
            ThrowInjected(fault, request, route);
            if (fault?.Kind == FakeArmFaultKind.SlowAnswer) delay = fault.Delay;

            response = route.Kind switch
            {
                RouteKind.Subscription when request.Method == "GET" => new ArmResponse(HttpStatusCode.OK, ProviderRegistration.Subscription(_options)),
                RouteKind.ProviderList when request.Method == "GET" => new ArmResponse(HttpStatusCode.OK, new JsonObject { ["value"] = new JsonArray(ProviderRegistration.Json(_options)) }),
                RouteKind.ProviderRegistration when request.Method == "GET" => new ArmResponse(HttpStatusCode.OK, ProviderRegistration.Json(_options)),
                RouteKind.Subscription or RouteKind.ProviderList or RouteKind.ProviderRegistration =>
                    throw new ArmException(HttpStatusCode.MethodNotAllowed, ArmErrorCodes.UnsupportedHttpVerb, $"The requested resource does not support http method '{request.Method}'."),
                _ => _network.Handle(request, route, fault, now),
            };
        }
        catch (ArmException e)
        {
            response = ArmResponse.Error(e);
        }
        catch (Exception e)
        {
            // A bug in the fake must not pass for an ARM answer a client could handle.
            response = ArmResponse.Error(new ArmException(HttpStatusCode.InternalServerError, "FakeArmBug", $"Bug in the fake ARM: {e}"));
        }
        response.Delay = delay;
        remaining ??= (request.IsWrite ? _writes : _reads).Remaining(now);
        response.Headers[request.IsWrite ? RemainingWrites : RemainingReads] = remaining.Value.ToString(CultureInfo.InvariantCulture);
        if (route is not null) Record(request, route, response, now);
        return response;
    }

    /// <summary>Remembers a 429's Retry-After for its scope, and counts an accepted write against its resource.</summary>
    private void Record(ArmRequest request, ArmRoute route, ArmResponse response, DateTimeOffset now)
    {
        if (response.Status == HttpStatusCode.TooManyRequests && response.RetryAfter is { } wait)
        {
            if (response.ErrorCode == ArmErrorCodes.SubscriptionRequestsThrottled || route.Name is null)
                _retryAfter.ParkSubscription(_options.SubscriptionId, request.IsWrite, now, wait, response.ErrorCode!);
            else
                _retryAfter.ParkResource(route.ResourceId, now, wait, response.ErrorCode!);
        }
        if (request.IsWrite && response.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted && route.Name is not null)
            _writeCounts[route.TargetId] = _writeCounts.GetValueOrDefault(route.TargetId) + 1;
    }

    private void Watch(ArmRequest request, ArmRoute route, DateTimeOffset now)
    {
        if (_retryAfter.Check(request.Path, request.IsWrite, now) is { } early)
            _violations.Add(new ArmViolation(now, ArmViolationKind.RequestBeforeRetryAfter, $"{request.Method} {request.Path} came {early}"));
        if (request.IsWrite && route.Name is not null && _network.Store.Find(route.ResourceId) is { IsBusy: true } busy)
        {
            var running = busy.Operation!;
            _violations.Add(new ArmViolation(now, ArmViolationKind.OverlappingWrite,
                $"{request.Method} {request.Path} while {running.Name} ({running.Id}) on {busy.Id} was still InProgress " +
                $"({running.Age.TotalMilliseconds:0} ms after it started); NRP cancels the earlier write ({ArmErrorCodes.CanceledAndSupersededDueToAnotherOperation})"));
        }
    }

    private void Authenticate(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
            throw new ArmException(HttpStatusCode.Unauthorized, ArmErrorCodes.AuthenticationFailed, "Authentication failed. The 'Authorization' header is missing.");
        if (authorization != $"Bearer {Token}")
            throw new ArmException(HttpStatusCode.Unauthorized, ArmErrorCodes.InvalidAuthenticationToken, "The access token is invalid.");
    }

    /// <summary>Any well-formed version for ARM's own paths (Microsoft.Resources); the configured ones for Microsoft.Network.</summary>
    private void CheckApiVersion(string? version, ArmRoute route)
    {
        var served = string.Join(", ", _options.ApiVersions);
        if (string.IsNullOrEmpty(version))
            throw ArmException.BadRequest(ArmErrorCodes.MissingApiVersionParameter, "The api-version query parameter (?api-version=) is required for all requests.");
        if (!ApiVersionShape().IsMatch(version))
            throw ArmException.BadRequest(ArmErrorCodes.InvalidApiVersionParameter, $"The api-version '{version}' is invalid. The supported versions are '{served}'.");
        if (route.Kind is RouteKind.Subscription or RouteKind.ProviderList or RouteKind.ProviderRegistration or RouteKind.ResourceGroup) return;
        if (!_options.ApiVersions.Contains(version))
            throw ArmException.BadRequest(ArmErrorCodes.NoRegisteredProviderFound,
                $"No registered resource provider found for location '{_options.Location}' and API version '{version}' for type '{route.Type ?? "locations/operations"}'. " +
                $"The supported api-versions are '{served}'. The supported locations are '{_options.Location}'.");
    }

    private static void ThrowInjected(FakeArmFault? fault, ArmRequest request, ArmRoute route)
    {
        switch (fault?.Kind)
        {
            case FakeArmFaultKind.TooManyRequests when fault.Scope == ThrottleScope.Subscription:
                throw SubscriptionThrottled(request, fault.RetryAfter, limit: null);
            case FakeArmFaultKind.TooManyRequests:
                throw new ArmException(HttpStatusCode.TooManyRequests, ArmErrorCodes.TooManyRequests,
                    $"The request is being throttled for resource '{Target(route)}'. Please try again after '{Seconds(fault.RetryAfter)}' seconds.")
                { RetryAfter = fault.RetryAfter };
            case FakeArmFaultKind.RetryableErrorDueToAnotherOperation:
                throw new ArmException(HttpStatusCode.TooManyRequests, ArmErrorCodes.RetryableErrorDueToAnotherOperation,
                    $"Operation on resource {Target(route)} cannot proceed because another operation on it is in progress. Retry after {Seconds(fault.RetryAfter)} seconds.")
                { RetryAfter = fault.RetryAfter };
            case FakeArmFaultKind.AnotherOperationInProgress:
                throw new ArmException(HttpStatusCode.Conflict, ArmErrorCodes.AnotherOperationInProgress,
                    $"Another operation on this or dependent resource ({Target(route)}) is in progress. To retrieve status of the operation use uri: " +
                    $"/subscriptions/{route.Subscription}/providers/{ArmRoute.Namespace}/locations/{{location}}/operations/{Guid.NewGuid()}?api-version={request.ApiVersion}.")
                { Details = [] };
            case FakeArmFaultKind.PreconditionFailed:
                throw new ArmException(HttpStatusCode.PreconditionFailed, ArmErrorCodes.PreconditionFailed,
                    $"Precondition failed: the etag given for {Target(route)} does not match its current etag.");
            case FakeArmFaultKind.InternalServerError:
                throw new ArmException(HttpStatusCode.InternalServerError, ArmErrorCodes.InternalServerError, "Encountered internal server error. Diagnostic information: injected by the fake ARM.");
        }
    }

    private static ArmException SubscriptionThrottled(ArmRequest request, TimeSpan retryAfter, int? limit) =>
        new(HttpStatusCode.TooManyRequests, ArmErrorCodes.SubscriptionRequestsThrottled,
            $"Number of '{(request.IsWrite ? "write" : "read")}' requests for subscription exceeded{(limit is null ? "" : $" the limit of '{limit}' for time interval '00:05:00'")}. " +
            $"Please try again after '{Seconds(retryAfter)}' seconds.")
        { RetryAfter = retryAfter };

    private static string Target(ArmRoute route) => route.Name is null ? $"/subscriptions/{route.Subscription}" : route.TargetId;

    private static int Seconds(TimeSpan wait) => (int)Math.Ceiling(wait.TotalSeconds);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(-preview)?$")]
    private static partial Regex ApiVersionShape();

    // Test-facing views and out-of-band changes, all under the same lock.

    public IReadOnlyList<ArmRequestRecord> Requests { get { lock (_gate) return _requests.ToList(); } }

    public IReadOnlyList<ArmViolation> Violations { get { lock (_gate) return _violations.ToList(); } }

    public IReadOnlyDictionary<string, int> Writes { get { lock (_gate) return new Dictionary<string, int>(_writeCounts, StringComparer.OrdinalIgnoreCase); } }

    public int OperationsInProgress
    {
        get
        {
            lock (_gate)
            {
                _network.Operations.Advance();
                return _network.Operations.InProgress;
            }
        }
    }

    public JsonObject? Get(string resourceId)
    {
        lock (_gate)
        {
            _network.Operations.Advance();
            return _network.Store.Get(resourceId);
        }
    }

    public IReadOnlyList<JsonObject> Resources()
    {
        lock (_gate)
        {
            _network.Operations.Advance();
            return _network.Store.All.OrderBy(r => r.Id, StringComparer.OrdinalIgnoreCase).Select(r => r.Json.DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>Changes a resource behind the client's back: the change, then a new etag, with no request.</summary>
    public void Mutate(string resourceId, Action<JsonObject> change)
    {
        lock (_gate)
        {
            _network.Operations.Advance();
            _network.Mutate(resourceId, change);
        }
    }

    /// <summary>Deletes a resource behind the client's back.</summary>
    public bool Remove(string resourceId)
    {
        lock (_gate) return _network.Remove(resourceId);
    }
}
