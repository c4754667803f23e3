using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

/// <summary>A top-level resource (public IP or load balancer) as GET answers it, with its latest write's operation.</summary>
internal sealed class StoredResource(string id, string type, string resourceGroup, string name, JsonObject json)
{
    public string Id { get; } = id;
    public string Type { get; } = type;
    public string ResourceGroup { get; } = resourceGroup;
    public string Name { get; } = name;
    public JsonObject Json { get; set; } = json;

    /// <summary>A public IP's address: allocated at its first PUT, shown once that PUT's operation has succeeded.</summary>
    public string? Address { get; set; }

    /// <summary>The operation of the latest accepted write (InProgress until it ends).</summary>
    public ArmOperation? Operation { get; set; }

    public string Etag => Json["etag"]!.GetValue<string>();

    public string Location => Json["location"]!.GetValue<string>();

    public JsonObject Properties => Json["properties"]!.AsObject();

    public bool IsBusy => Operation is { Status: OperationStatus.InProgress };

    /// <summary>A load balancer's child collection, e.g. backendAddressPools.</summary>
    public IEnumerable<JsonObject> Children(string collection) =>
        (Properties[collection] as JsonArray ?? []).OfType<JsonObject>();
}

/// <summary>
/// Every resource the fake holds, by id (ids compare without case, as in ARM). A write gives a resource a new
/// etag; children (pools, frontends, probes, rules) carry their load balancer's etag and provisioning state, as
/// NRP shows them.
/// </summary>
internal sealed class ResourceStore
{
    private readonly Dictionary<string, StoredResource> _resources = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<StoredResource> All => _resources.Values;

    public StoredResource? Find(string id) => _resources.GetValueOrDefault(id);

    public IEnumerable<StoredResource> OfType(string type) => _resources.Values.Where(r => r.Type == type);

    public IEnumerable<StoredResource> InGroup(string resourceGroup, string type) =>
        OfType(type).Where(r => r.ResourceGroup.Equals(resourceGroup, StringComparison.OrdinalIgnoreCase));

    public void Put(StoredResource resource) => _resources[resource.Id] = resource;

    public bool Remove(string id) => _resources.Remove(id);

    /// <summary>A resource or a child of one (a pool id, say), as a copy.</summary>
    public JsonObject? Get(string id)
    {
        if (Find(id) is { } top) return top.Json.DeepClone().AsObject();
        var route = ArmRoute.Parse(id);
        if (route is not { Kind: RouteKind.Child } || Find(route.ResourceId) is not { } parent) return null;
        return parent.Children(route.ChildType!).FirstOrDefault(c => Json.SameId(c["id"]?.GetValue<string>(), id))?.DeepClone().AsObject();
    }

    public static string NewEtag() => $"W/\"{Guid.NewGuid()}\"";

    /// <summary>Sets the etag and provisioning state of a resource and of every child it holds.</summary>
    public static void Stamp(JsonObject resource, string etag, string provisioningState)
    {
        resource["etag"] = etag;
        var properties = resource["properties"]!.AsObject();
        properties["provisioningState"] = provisioningState;
        foreach (var (_, value) in properties.ToList())
        {
            if (value is not JsonArray children) continue;
            foreach (var child in children.OfType<JsonObject>())
            {
                if (child["id"] is null || child["properties"] is not JsonObject childProperties) continue;
                child["etag"] = etag;
                childProperties["provisioningState"] = provisioningState;
            }
        }
    }
}
