using System.Net;
using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

/// <summary>
/// Microsoft.Network as ARM forwards requests to it: public IPs, load balancers and their pools (PUT, GET, DELETE,
/// PATCH of tags, lists), the read-only virtual network, and the long-running operations of every write. A PUT
/// stores the goal state at once (provisioningState Updating) and answers 201/200 with Azure-AsyncOperation; the
/// operation's end makes it Succeeded (or Failed). Not thread-safe: the front door calls it under its lock.
/// </summary>
internal sealed class NetworkResourceProvider
{
    private readonly FakeArmOptions _options;
    private readonly HashSet<string> _resourceGroups;
    private readonly PublicIpAddresses _publicIps;
    private readonly LoadBalancers _loadBalancers;

    public NetworkResourceProvider(FakeArmOptions options)
    {
        _options = options;
        Network = new VirtualNetwork(options);
        _resourceGroups = new HashSet<string>(options.ResourceGroups.Append(Network.ResourceGroup), StringComparer.OrdinalIgnoreCase);
        Operations = new LongRunningOperations(options);
        _publicIps = new PublicIpAddresses(Store);
        _loadBalancers = new LoadBalancers(options, Store, Network);
    }

    public ResourceStore Store { get; } = new();
    public LongRunningOperations Operations { get; }
    public VirtualNetwork Network { get; }

    /// <summary>A routed, authenticated request that passed the front door; <paramref name="fault"/> may shape its operation.</summary>
    public ArmResponse Handle(ArmRequest request, ArmRoute route, FakeArmFault? fault, DateTimeOffset now)
    {
        if (route.Kind is not (RouteKind.OperationStatus or RouteKind.OperationResult) && route.ResourceGroup is not null)
            RequireGroup(route.ResourceGroup);
        if (route.UnknownType is { } unknown)
            throw new ArmException(HttpStatusCode.NotFound, ArmErrorCodes.InvalidResourceType,
                $"The resource type '{unknown}' could not be found in the namespace '{ArmRoute.Namespace}' for api version '{request.ApiVersion}'.");
        return (route.Kind, request.Method, route.Type) switch
        {
            (RouteKind.OperationStatus, "GET", _) => OperationStatus(route),
            (RouteKind.OperationResult, "GET", _) => OperationResult(route),
            (RouteKind.ResourceGroup, "GET", _) => Ok(ResourceGroupJson(route.ResourceGroup!)),
            (RouteKind.Collection, "GET", ArmRoute.VirtualNetworks) => Ok(List([Network.ToJson()])),
            (RouteKind.Collection, "GET", _) => Ok(List(Store.InGroup(route.ResourceGroup!, route.Type!).Select(r => r.Json))),
            (RouteKind.Resource, "GET", ArmRoute.VirtualNetworks) => Ok(VirtualNetworkJson(route)),
            (RouteKind.ChildCollection, "GET", ArmRoute.VirtualNetworks) => Ok(List(VirtualNetworkJson(route)["properties"]!["subnets"]!.AsArray().OfType<JsonObject>())),
            (RouteKind.Child, "GET", ArmRoute.VirtualNetworks) => Ok(SubnetJson(route)),
            (_, _, ArmRoute.VirtualNetworks) => throw NotSupported(request, "virtual networks are read-only in this fake"),
            (RouteKind.Resource, "GET", _) => Ok(Existing(route).Json),
            (RouteKind.Resource, "PUT", ArmRoute.PublicIPAddresses) => PutPublicIp(request, route, fault, now),
            (RouteKind.Resource, "PUT", ArmRoute.LoadBalancers) => PutLoadBalancer(request, route, fault, now),
            (RouteKind.Resource, "PATCH", _) => PatchTags(request, route),
            (RouteKind.Resource, "DELETE", _) => Delete(request, route, fault, now),
            (RouteKind.ChildCollection, "GET", ArmRoute.LoadBalancers) => Ok(List(Existing(route).Children(route.ChildType!))),
            (RouteKind.Child, "GET", ArmRoute.LoadBalancers) => Ok(ExistingChild(route)),
            (RouteKind.Child, "PUT", ArmRoute.LoadBalancers) when route.ChildType == ArmRoute.BackendAddressPools => PutPool(request, route, fault, now),
            (RouteKind.Child, "DELETE", ArmRoute.LoadBalancers) when route.ChildType == ArmRoute.BackendAddressPools => DeletePool(request, route, fault, now),
            (RouteKind.Child, _, ArmRoute.LoadBalancers) => throw NotSupported(request, "only backendAddressPools can be written on their own; other children change with a PUT of the whole load balancer"),
            _ => throw NotSupported(request, "not served by this fake"),
        };
    }

    private ArmResponse PutPublicIp(ArmRequest request, ArmRoute route, FakeArmFault? fault, DateTimeOffset now)
    {
        var existing = Store.Find(route.ResourceId);
        CheckPreconditions(existing?.Etag, request, route.ResourceId);
        var (json, address) = _publicIps.Normalize(route, RequireBody(request), existing);
        var resource = existing ?? new StoredResource(route.ResourceId, route.Type!, route.ResourceGroup!, route.Name!, json);
        resource.Json = json;
        resource.Address = address;
        ResourceStore.Stamp(json, ResourceStore.NewEtag(), "Updating");
        Store.Put(resource);
        var operation = Start(resource, "PutPublicIpAddressOperation", fault, now, succeeded =>
        {
            if (succeeded) resource.Properties["ipAddress"] = resource.Address;
            ResourceStore.Stamp(resource.Json, ResourceStore.NewEtag(), succeeded ? "Succeeded" : "Failed");
        });
        return Accepted(existing is null ? HttpStatusCode.Created : HttpStatusCode.OK, resource.Json, operation, request, withLocation: false);
    }

    private ArmResponse PutLoadBalancer(ArmRequest request, ArmRoute route, FakeArmFault? fault, DateTimeOffset now)
    {
        var existing = Store.Find(route.ResourceId);
        CheckPreconditions(existing?.Etag, request, route.ResourceId);
        var json = _loadBalancers.Normalize(route, RequireBody(request), existing);
        var resource = existing ?? new StoredResource(route.ResourceId, route.Type!, route.ResourceGroup!, route.Name!, json);
        resource.Json = json;
        ResourceStore.Stamp(json, ResourceStore.NewEtag(), "Updating");
        Store.Put(resource);
        _publicIps.Relink();
        var operation = Start(resource, "PutLoadBalancerOperation", fault, now, Settle(resource));
        return Accepted(existing is null ? HttpStatusCode.Created : HttpStatusCode.OK, resource.Json, operation, request, withLocation: false);
    }

    private ArmResponse PutPool(ArmRequest request, ArmRoute route, FakeArmFault? fault, DateTimeOffset now)
    {
        var loadBalancer = Existing(route);
        var pool = LoadBalancers.FindChild(loadBalancer, route.ChildType!, route.ChildName!);
        CheckPreconditions(pool is null ? null : loadBalancer.Etag, request, route.ChildId);
        var json = _loadBalancers.PutPool(loadBalancer, route.ChildName!, RequireBody(request), out var created);
        loadBalancer.Json = json;
        ResourceStore.Stamp(json, ResourceStore.NewEtag(), "Updating");
        var operation = Start(loadBalancer, "PutLoadBalancerBackendAddressPoolOperation", fault, now, Settle(loadBalancer));
        var written = LoadBalancers.FindChild(loadBalancer, route.ChildType!, route.ChildName!)!;
        return Accepted(created ? HttpStatusCode.Created : HttpStatusCode.OK, written, operation, request, withLocation: false);
    }

    private ArmResponse DeletePool(ArmRequest request, ArmRoute route, FakeArmFault? fault, DateTimeOffset now)
    {
        var loadBalancer = Existing(route);
        var pool = LoadBalancers.FindChild(loadBalancer, route.ChildType!, route.ChildName!);
        if (pool is null) return new ArmResponse(HttpStatusCode.NoContent);
        CheckPreconditions(loadBalancer.Etag, request, route.ChildId);
        loadBalancer.Json = _loadBalancers.DeletePool(loadBalancer, pool);
        ResourceStore.Stamp(loadBalancer.Json, ResourceStore.NewEtag(), "Updating");
        var operation = Start(loadBalancer, "DeleteLoadBalancerBackendAddressPoolOperation", fault, now, Settle(loadBalancer));
        return Accepted(HttpStatusCode.Accepted, null, operation, request, withLocation: true);
    }

    private ArmResponse Delete(ArmRequest request, ArmRoute route, FakeArmFault? fault, DateTimeOffset now)
    {
        var resource = Store.Find(route.ResourceId);
        if (resource is null) return new ArmResponse(HttpStatusCode.NoContent);
        CheckPreconditions(resource.Etag, request, resource.Id);
        var isPublicIp = resource.Type == ArmRoute.PublicIPAddresses;
        if (isPublicIp && _publicIps.UsedBy(resource.Id) is { } frontend)
            throw ArmException.BadRequest(ArmErrorCodes.PublicIPAddressCannotBeDeleted,
                $"Public IP address {resource.Id} can not be deleted since it is still allocated to resource {frontend}. " +
                "In order to delete the public IP, disassociate/detach the Public IP address from the resource.");
        ResourceStore.Stamp(resource.Json, ResourceStore.NewEtag(), "Deleting");
        var name = isPublicIp ? "DeletePublicIpAddressOperation" : "DeleteLoadBalancerOperation";
        var operation = Start(resource, name, fault, now, succeeded =>
        {
            if (!succeeded)
            {
                ResourceStore.Stamp(resource.Json, ResourceStore.NewEtag(), "Failed");
                return;
            }
            Store.Remove(resource.Id);
            _publicIps.Relink();
        });
        return Accepted(HttpStatusCode.Accepted, null, operation, request, withLocation: true);
    }

    /// <summary>PATCH changes tags only (as ARM does for Microsoft.Network), at once, with no operation.</summary>
    private ArmResponse PatchTags(ArmRequest request, ArmRoute route)
    {
        var resource = Existing(route);
        CheckPreconditions(resource.Etag, request, resource.Id);
        var tags = Json.Object(RequireBody(request), "tags", "");
        if (tags is null) resource.Json.Remove("tags");
        else resource.Json["tags"] = tags.DeepClone();
        ResourceStore.Stamp(resource.Json, ResourceStore.NewEtag(), resource.Properties["provisioningState"]!.GetValue<string>());
        return Ok(resource.Json);
    }

    /// <summary>An out-of-band change (no request, no operation): the resource gets a new etag.</summary>
    public void Mutate(string resourceId, Action<JsonObject> change)
    {
        var resource = Store.Find(resourceId) ?? throw new InvalidOperationException($"no resource {resourceId}");
        change(resource.Json);
        if (resource.Type == ArmRoute.LoadBalancers) LoadBalancers.LinkRules(resource.Json);
        ResourceStore.Stamp(resource.Json, ResourceStore.NewEtag(), resource.Properties["provisioningState"]!.GetValue<string>());
        _publicIps.Relink();
    }

    public bool Remove(string resourceId)
    {
        var removed = Store.Remove(resourceId);
        _publicIps.Relink();
        return removed;
    }

    private ArmOperation Start(StoredResource resource, string name, FakeArmFault? fault, DateTimeOffset now, Action<bool> complete)
    {
        var duration = fault?.Kind == FakeArmFaultKind.SlowOperation ? fault.Delay : (TimeSpan?)null;
        var failWith = fault?.Kind == FakeArmFaultKind.OperationFailed
            ? new JsonObject { ["code"] = fault.ErrorCode, ["message"] = fault.ErrorMessage }
            : null;
        return Operations.Start(resource, name, now, duration, failWith, complete);
    }

    /// <summary>A load balancer write ends: Succeeded (or Failed) with a new etag.</summary>
    private static Action<bool> Settle(StoredResource resource) =>
        succeeded => ResourceStore.Stamp(resource.Json, ResourceStore.NewEtag(), succeeded ? "Succeeded" : "Failed");

    private ArmResponse Accepted(HttpStatusCode status, JsonNode? body, ArmOperation operation, ArmRequest request, bool withLocation)
    {
        var response = new ArmResponse(status, body?.DeepClone());
        var query = $"?api-version={request.ApiVersion}";
        response.Headers["Azure-AsyncOperation"] = $"/subscriptions/{_options.SubscriptionId}{operation.AsyncOperationPath}{query}";
        if (withLocation) response.Headers["Location"] = $"/subscriptions/{_options.SubscriptionId}{operation.ResultPath}{query}";
        if (_options.OperationRetryAfterSeconds is { } seconds) response.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return response;
    }

    private ArmResponse OperationStatus(ArmRoute route)
    {
        var operation = FindOperation(route);
        var response = Ok(operation.StatusBody());
        if (operation.Status == FakeArm.OperationStatus.InProgress && _options.OperationRetryAfterSeconds is { } seconds)
            response.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return response;
    }

    /// <summary>The Location URL of a DELETE: 202 while it runs, 204 when done, the error when it failed or was canceled.</summary>
    private ArmResponse OperationResult(ArmRoute route)
    {
        var operation = FindOperation(route);
        return operation.Status switch
        {
            FakeArm.OperationStatus.InProgress => new ArmResponse(HttpStatusCode.Accepted),
            FakeArm.OperationStatus.Succeeded => new ArmResponse(HttpStatusCode.NoContent),
            _ => new ArmResponse(HttpStatusCode.BadRequest, new JsonObject { ["error"] = operation.Error!.DeepClone() })
            {
                ErrorCode = operation.Error!["code"]!.GetValue<string>(),
            },
        };
    }

    private ArmOperation FindOperation(ArmRoute route) =>
        Operations.Find(route.OperationId!)
        ?? throw new ArmException(HttpStatusCode.NotFound, ArmErrorCodes.NotFound, $"Operation {route.OperationId} was not found.");

    private StoredResource Existing(ArmRoute route) =>
        Store.Find(route.ResourceId) is { } found && found.Type == route.Type
            ? found
            : throw new ArmException(HttpStatusCode.NotFound, ArmErrorCodes.ResourceNotFound,
                $"The Resource '{ArmRoute.Namespace}/{route.Type}/{route.Name}' under resource group '{route.ResourceGroup}' was not found. " +
                "For more details please go to https://aka.ms/ARMResourceNotFoundFix");

    private JsonObject ExistingChild(ArmRoute route) =>
        LoadBalancers.FindChild(Existing(route), route.ChildType!, route.ChildName!)
        ?? throw ChildNotFound(route.ChildId);

    private JsonObject VirtualNetworkJson(ArmRoute route) =>
        Json.SameId(route.ResourceId, Network.Id)
            ? Network.ToJson()
            : throw new ArmException(HttpStatusCode.NotFound, ArmErrorCodes.ResourceNotFound,
                $"The Resource '{ArmRoute.Namespace}/{ArmRoute.VirtualNetworks}/{route.Name}' under resource group '{route.ResourceGroup}' was not found.");

    private JsonObject SubnetJson(ArmRoute route)
    {
        VirtualNetworkJson(route);
        return Network.FindSubnet(route.ChildId)?.ToJson() ?? throw ChildNotFound(route.ChildId);
    }

    private void RequireGroup(string resourceGroup)
    {
        if (!_resourceGroups.Contains(resourceGroup))
            throw new ArmException(HttpStatusCode.NotFound, ArmErrorCodes.ResourceGroupNotFound, $"Resource group '{resourceGroup}' could not be found.");
    }

    private JsonObject ResourceGroupJson(string name) => new()
    {
        ["id"] = $"/subscriptions/{_options.SubscriptionId}/resourceGroups/{_resourceGroups.First(g => g.Equals(name, StringComparison.OrdinalIgnoreCase))}",
        ["name"] = name,
        ["type"] = "Microsoft.Resources/resourceGroups",
        ["location"] = _options.Location,
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };

    /// <summary>If-Match (an etag, or * for "exists") and If-None-Match: * ("does not exist yet"), as NRP honours them.</summary>
    private static void CheckPreconditions(string? etag, ArmRequest request, string id)
    {
        if (request.IfMatch is { } ifMatch && (etag is null || !Matches(ifMatch, etag)))
            throw new ArmException(HttpStatusCode.PreconditionFailed, ArmErrorCodes.PreconditionFailed,
                etag is null
                    ? $"Precondition failed: If-Match '{ifMatch}' was given for {id}, which does not exist."
                    : $"Precondition failed: If-Match '{ifMatch}' does not match the current etag {etag} of {id}.");
        if (request.IfNoneMatch is { } ifNoneMatch && etag is not null && Matches(ifNoneMatch, etag))
            throw new ArmException(HttpStatusCode.PreconditionFailed, ArmErrorCodes.PreconditionFailed,
                $"Precondition failed: If-None-Match '{ifNoneMatch}' was given for {id}, which exists with etag {etag}.");
    }

    private static bool Matches(string header, string etag) =>
        header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(e => e == "*" || e == etag);

    private static JsonObject RequireBody(ArmRequest request) =>
        request.Body ?? throw ArmException.BadRequest(ArmErrorCodes.InvalidRequestContent, "The request content was invalid and could not be deserialized: a JSON object is required.");

    private static ArmException ChildNotFound(string id) =>
        new(HttpStatusCode.NotFound, ArmErrorCodes.NotFound, $"Resource {id} not found.") { Details = [] };

    private static ArmException NotSupported(ArmRequest request, string why) =>
        new(HttpStatusCode.MethodNotAllowed, ArmErrorCodes.UnsupportedHttpVerb,
            $"The requested resource does not support http method '{request.Method}' ({why}).");

    private static ArmResponse Ok(JsonNode body) => new(HttpStatusCode.OK, body.DeepClone());

    private static JsonObject List(IEnumerable<JsonObject> items) =>
        new() { ["value"] = new JsonArray(items.OrderBy(i => i["name"]?.GetValue<string>(), StringComparer.OrdinalIgnoreCase).Select(i => (JsonNode?)i.DeepClone()).ToArray()) };
}
