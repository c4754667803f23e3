using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

/// <summary>The configured virtual network (read-only): backend addresses reference it, internal frontends use its subnets.</summary>
internal sealed class VirtualNetwork
{
    public VirtualNetwork(FakeArmOptions options)
    {
        var vnet = options.VirtualNetwork;
        ResourceGroup = vnet.ResourceGroup;
        Location = options.Location;
        Id = $"/subscriptions/{options.SubscriptionId}/resourceGroups/{vnet.ResourceGroup}/providers/{ArmRoute.Namespace}/{ArmRoute.VirtualNetworks}/{vnet.Name}";
        Name = vnet.Name;
        AddressPrefixes = vnet.AddressPrefixes;
        Subnets = vnet.Subnets.Select(s => new Subnet(s.Name, $"{Id}/subnets/{s.Name}", s.AddressPrefixes.Select(IPNetwork.Parse).ToList())).ToList();
    }

    public string Id { get; }
    public string Name { get; }
    public string ResourceGroup { get; }
    public string Location { get; }
    public IReadOnlyList<string> AddressPrefixes { get; }
    public IReadOnlyList<Subnet> Subnets { get; }

    public Subnet? FindSubnet(string? id) => Subnets.FirstOrDefault(s => Json.SameId(s.Id, id));

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["id"] = Id,
        ["type"] = $"{ArmRoute.Namespace}/{ArmRoute.VirtualNetworks}",
        ["location"] = Location,
        ["properties"] = new JsonObject
        {
            ["provisioningState"] = "Succeeded",
            ["addressSpace"] = new JsonObject { ["addressPrefixes"] = new JsonArray(AddressPrefixes.Select(p => (JsonNode?)p).ToArray()) },
            ["subnets"] = new JsonArray(Subnets.Select(s => (JsonNode?)s.ToJson()).ToArray()),
        },
    };

    internal sealed class Subnet(string name, string id, IReadOnlyList<IPNetwork> prefixes)
    {
        private readonly Dictionary<AddressFamily, AddressRange> _ranges = prefixes
            .GroupBy(p => p.BaseAddress.AddressFamily)
            .ToDictionary(g => g.Key, g => AddressRange.OfSubnet(g.First()));

        public string Name { get; } = name;
        public string Id { get; } = id;

        /// <summary>The usable addresses of one family (the first prefix of that family), or null.</summary>
        public AddressRange? Range(AddressFamily family) => _ranges.GetValueOrDefault(family);

        public JsonObject ToJson()
        {
            var properties = new JsonObject { ["provisioningState"] = "Succeeded" };
            if (prefixes.Count == 1) properties["addressPrefix"] = prefixes[0].ToString();
            else properties["addressPrefixes"] = new JsonArray(prefixes.Select(p => (JsonNode?)p.ToString()).ToArray());
            return new JsonObject
            {
                ["name"] = Name,
                ["id"] = Id,
                ["type"] = $"{ArmRoute.Namespace}/{ArmRoute.VirtualNetworks}/subnets",
                ["properties"] = properties,
            };
        }
    }
}
