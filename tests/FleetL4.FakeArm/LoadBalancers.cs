using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

/// <summary>
/// Standard load balancers as NRP checks them: frontends all public or all internal, references between children
/// resolved within the load balancer, ports and timeouts in range, the Standard limits, and defaults filled in the
/// way a GET shows them. A whole-LB PUT replaces every child collection (a pool missing from the body is gone).
/// </summary>
internal sealed class LoadBalancers(FakeArmOptions options, ResourceStore store, VirtualNetwork network)
{
    private const string Frontends = "frontendIPConfigurations";
    private const string Pools = BackendAddressPools.Collection;
    private const string Probes = "probes";
    private const string Rules = "loadBalancingRules";

    public JsonObject Normalize(ArmRoute route, JsonObject body, StoredResource? existing)
    {
        var json = ResourceShape.TopLevel(route, body, existing);
        var id = json["id"]!.GetValue<string>();
        json["sku"] = ResourceShape.StandardSku(body, "load balancers");
        var given = Json.Object(body, "properties", "") ?? new JsonObject();
        var properties = new JsonObject
        {
            ["provisioningState"] = "",
            ["resourceGuid"] = existing?.Properties["resourceGuid"]?.DeepClone() ?? Guid.NewGuid().ToString(),
        };
        json["properties"] = properties;

        var frontends = Children(id, given, Frontends);
        if (frontends.Count > options.MaxFrontendsPerLoadBalancer)
            throw ArmException.BadRequest(ArmErrorCodes.MaxFrontendIPConfigurationsPerLoadBalancerReached,
                $"Load balancer {id} has {frontends.Count} frontend IP configurations; a Standard load balancer allows at most {options.MaxFrontendsPerLoadBalancer}.");
        var internalFrontends = CheckFrontends(json, frontends, existing);

        var pools = Json.Array(given, Pools, "properties")
            .Select((p, i) => BackendAddressPools.Normalize(id, p, $"properties.{Pools}[{i}]", options, network)).ToList();
        ResourceShape.CheckUnique(pools, $"properties.{Pools}");

        var probes = Children(id, given, Probes);
        for (var i = 0; i < probes.Count; i++) CheckProbe(probes[i], $"properties.{Probes}[{i}]");

        var rules = Children(id, given, Rules);
        if (rules.Count > options.MaxRulesPerLoadBalancer)
            throw ArmException.BadRequest(ArmErrorCodes.MaxLoadBalancingRulesPerLoadBalancerReached,
                $"Load balancer {id} has {rules.Count} load balancing rules; a Standard load balancer allows at most {options.MaxRulesPerLoadBalancer}.");
        CheckRules(rules, frontends, pools, probes, internalFrontends);

        properties[Frontends] = Array(frontends);
        properties[Pools] = Array(pools);
        properties[Probes] = Array(probes);
        properties[Rules] = Array(rules);
        // Not checked by this fake, kept as sent.
        foreach (var other in new[] { "inboundNatRules", "inboundNatPools", "outboundRules" })
            properties[other] = given[other]?.DeepClone() ?? new JsonArray();
        LinkRules(json);
        return json;
    }

    /// <summary>The load balancer after a PUT of one pool: the other children stay as they are.</summary>
    public JsonObject PutPool(StoredResource loadBalancer, string poolName, JsonObject body, out bool created)
    {
        var item = body.DeepClone().AsObject();
        item["name"] = poolName;
        var pool = BackendAddressPools.Normalize(loadBalancer.Id, item, "", options, network);
        var json = loadBalancer.Json.DeepClone().AsObject();
        var pools = json["properties"]![Pools]!.AsArray();
        var index = IndexOf(pools, poolName);
        created = index < 0;
        if (created) pools.Add(pool);
        else pools[index] = pool;
        LinkRules(json);
        return json;
    }

    /// <summary>The load balancer without one pool; a pool a rule uses cannot be deleted.</summary>
    public JsonObject DeletePool(StoredResource loadBalancer, JsonObject pool)
    {
        var poolId = pool["id"]!.GetValue<string>();
        var user = loadBalancer.Children(Rules).FirstOrDefault(r => PoolIds(r).Any(p => Json.SameId(p, poolId)));
        if (user is not null)
            throw ArmException.BadRequest(ArmErrorCodes.InUseBackendAddressPoolCannotBeDeleted,
                $"Backend address pool {poolId} is in use by load balancing rule {user["id"]} and cannot be deleted.");
        var json = loadBalancer.Json.DeepClone().AsObject();
        var pools = json["properties"]![Pools]!.AsArray();
        pools.RemoveAt(IndexOf(pools, pool["name"]!.GetValue<string>()));
        return json;
    }

    public static JsonObject? FindChild(StoredResource loadBalancer, string collection, string name) =>
        loadBalancer.Children(collection).FirstOrDefault(c => c["name"]!.GetValue<string>().Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The frontends, pools and probes list the rules that use them (read-only in ARM).</summary>
    public static void LinkRules(JsonObject loadBalancer)
    {
        var children = new[] { Frontends, Pools, Probes }.SelectMany(c => ResourceShape.Items(loadBalancer, c)).ToList();
        foreach (var child in children) ResourceShape.Properties(child).Remove(Rules);
        var byId = children.ToDictionary(c => c["id"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        foreach (var rule in ResourceShape.Items(loadBalancer, Rules))
        {
            var p = ResourceShape.Properties(rule);
            var used = new[] { Ref(p, "frontendIPConfiguration"), Ref(p, "probe") }.Concat(PoolIds(rule)).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var target in used)
            {
                if (!byId.TryGetValue(target, out var child)) continue;
                var list = ResourceShape.Properties(child)[Rules] ??= new JsonArray();
                list.AsArray().Add(Json.Reference(rule["id"]!.GetValue<string>()));
            }
        }
    }

    /// <summary>Checks frontends and gives internal ones their private address; returns whether they are internal.</summary>
    private bool CheckFrontends(JsonObject lb, List<JsonObject> frontends, StoredResource? existing)
    {
        var id = lb["id"]!.GetValue<string>();
        var location = lb["location"]!.GetValue<string>();
        var otherLoadBalancers = store.OfType(ArmRoute.LoadBalancers).Where(r => !Json.SameId(r.Id, id)).ToList();
        var privateInUse = otherLoadBalancers.SelectMany(r => r.Children(Frontends))
            .Select(f => f["properties"]?["privateIPAddress"]?.GetValue<string>()).OfType<string>().ToHashSet();
        var toAllocate = new List<(JsonObject Properties, VirtualNetwork.Subnet Subnet, AddressFamily Family, string Where)>();
        var publicIps = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        bool? isInternal = null;

        for (var i = 0; i < frontends.Count; i++)
        {
            var where = $"properties.{Frontends}[{i}]";
            var frontend = frontends[i];
            var frontendId = frontend["id"]!.GetValue<string>();
            var p = ResourceShape.Properties(frontend);
            var publicIpId = Json.ReferenceId(p, "publicIPAddress", $"{where}.properties");
            var subnetId = Json.ReferenceId(p, "subnet", $"{where}.properties");
            if (publicIpId is not null && subnetId is not null)
                throw ArmException.BadRequest(ArmErrorCodes.FrontendIPConfigHasBothSubnetAndPublicIP,
                    $"Frontend IP Configuration {frontendId} must not reference both a Subnet and a Public IP Address.");
            if (publicIpId is null && subnetId is null)
                throw ArmException.BadRequest(ArmErrorCodes.FrontendIPConfigHasNeitherSubnetNorPublicIP,
                    $"Frontend IP Configuration {frontendId} must reference a Public IP Address ({where}.properties.publicIPAddress.id) or a Subnet ({where}.properties.subnet.id).");
            var thisInternal = subnetId is not null;
            if (isInternal is { } kind && kind != thisInternal)
                throw ArmException.BadRequest(ArmErrorCodes.LoadBalancerMixesPublicAndInternalFrontends,
                    $"Load balancer {id} cannot have both public and internal frontend IP configurations ({where}): a load balancer is public or internal.");
            isInternal = thisInternal;

            if (publicIpId is not null)
            {
                var ip = store.Find(publicIpId);
                if (ip is null || ip.Type != ArmRoute.PublicIPAddresses || ip.Location != location)
                    throw MissingReference(publicIpId, frontendId);
                if (ip.IsBusy) throw Busy(id, ip, "PutLoadBalancerOperation");
                var user = otherLoadBalancers.SelectMany(r => r.Children(Frontends))
                    .FirstOrDefault(f => Json.SameId(f["properties"]?["publicIPAddress"]?["id"]?.GetValue<string>(), publicIpId))?["id"]?.GetValue<string>();
                if (user is not null || publicIps.TryGetValue(publicIpId, out user))
                    throw ArmException.BadRequest(ArmErrorCodes.PublicIPAddressInUse,
                        $"Public IP address {ip.Id} ({where}.properties.publicIPAddress.id) is already used by frontend IP configuration {user}.");
                publicIps[publicIpId] = frontendId;
                p.Remove("privateIPAddress");
                p["privateIPAllocationMethod"] = "Dynamic";
                p["publicIPAddress"] = Json.Reference(ip.Id);
                continue;
            }

            var subnet = network.FindSubnet(subnetId);
            if (subnet is null || network.Location != location) throw MissingReference(subnetId!, frontendId);
            p["subnet"] = Json.Reference(subnet.Id);
            var method = Json.Enum(p, "privateIPAllocationMethod", $"{where}.properties", "Dynamic", "Dynamic", "Static");
            var version = Json.Enum(p, "privateIPAddressVersion", $"{where}.properties", "IPv4", "IPv4", "IPv6");
            var family = version == "IPv6" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            p["privateIPAllocationMethod"] = method;
            p["privateIPAddressVersion"] = version;
            if (method == "Static")
            {
                var text = Json.Required(Json.String(p, "privateIPAddress", $"{where}.properties"), $"{where}.properties", "privateIPAddress");
                var address = BackendAddressPools.ParseIp(text);
                if (address is null || address.AddressFamily != family)
                    throw ArmException.BadRequest(ArmErrorCodes.InvalidIPAddress, $"'{text}' ({where}.properties.privateIPAddress) is not a valid {version} address.");
                if (subnet.Range(family) is not { } range || !range.Contains(address))
                    throw ArmException.BadRequest(ArmErrorCodes.PrivateIPAddressNotInSubnet,
                        $"Private static IP address {address} ({where}.properties.privateIPAddress) does not belong to the range of subnet {subnet.Id} " +
                        "(Azure keeps the first four addresses of a subnet and the last one).");
                if (!privateInUse.Add(address.ToString()))
                    throw ArmException.BadRequest(ArmErrorCodes.PrivateIPAddressInUse, $"IP address {address} ({where}.properties.privateIPAddress) is already in use in subnet {subnet.Id}.");
                p["privateIPAddress"] = address.ToString();
                continue;
            }
            // A dynamic address stays with its frontend across updates, as in NRP.
            var kept = existing is null ? null : FindChild(existing, Frontends, frontend["name"]!.GetValue<string>())?["properties"];
            var keptAddress = kept?["privateIPAddress"]?.GetValue<string>();
            if (keptAddress is not null && Json.SameId(kept?["subnet"]?["id"]?.GetValue<string>(), subnet.Id)
                && IPAddress.Parse(keptAddress).AddressFamily == family && privateInUse.Add(keptAddress))
            {
                p["privateIPAddress"] = keptAddress;
                continue;
            }
            toAllocate.Add((p, subnet, family, where));
        }

        foreach (var (p, subnet, family, where) in toAllocate)
        {
            var address = subnet.Range(family)?.Allocate(a => privateInUse.Contains(a.ToString()))
                ?? throw ArmException.BadRequest(ArmErrorCodes.SubnetIsFull,
                    $"Subnet {subnet.Id} has no free {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address for {where}.");
            privateInUse.Add(address.ToString());
            p["privateIPAddress"] = address.ToString();
        }
        return isInternal == true;
    }

    private static void CheckProbe(JsonObject probe, string where)
    {
        var id = probe["id"]!.GetValue<string>();
        var p = ResourceShape.Properties(probe);
        var at = $"{where}.properties";
        var protocol = Json.Enum(p, "protocol", at, null, "Tcp", "Http", "Https");
        var port = Json.Int(p, "port", at) ?? throw Missing(at, "port");
        if (port is < 1 or > 65535) throw PortOutOfRange(id, "port", at, port, 65535);
        var interval = Json.Int(p, "intervalInSeconds", at) ?? 15;
        if (interval < 5)
            throw ArmException.BadRequest(ArmErrorCodes.ValueOutOfRange, $"Probe {id} has intervalInSeconds {interval} ({at}.intervalInSeconds); the least allowed is 5.");
        var threshold = Json.Int(p, "probeThreshold", at) ?? 1;
        if (threshold < 1)
            throw ArmException.BadRequest(ArmErrorCodes.ValueOutOfRange, $"Probe {id} has probeThreshold {threshold} ({at}.probeThreshold); the least allowed is 1.");
        if (Json.Int(p, "numberOfProbes", at) is < 1)
            throw ArmException.BadRequest(ArmErrorCodes.ValueOutOfRange, $"Probe {id} needs numberOfProbes of at least 1 ({at}.numberOfProbes).");
        var path = Json.String(p, "requestPath", at);
        if (protocol != "Tcp" && (path is null || !path.StartsWith('/')))
            throw ArmException.BadRequest(ArmErrorCodes.MissingRequiredProperty, $"Probe {id} uses {protocol}: '{at}.requestPath' must be a path starting with '/'.");
        p["protocol"] = protocol;
        p["port"] = port;
        p["intervalInSeconds"] = interval;
        p["probeThreshold"] = threshold;
    }

    private static void CheckRules(List<JsonObject> rules, List<JsonObject> frontends, List<JsonObject> pools, List<JsonObject> probes, bool isInternal)
    {
        var frontendPorts = new Dictionary<(string, string, int), string>();
        var backendPorts = new Dictionary<(string, string, int), string>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var id = rule["id"]!.GetValue<string>();
            var at = $"properties.{Rules}[{i}].properties";
            var p = ResourceShape.Properties(rule);
            var protocol = Json.Enum(p, "protocol", at, null, "Tcp", "Udp", "All");
            var frontendPort = Json.Int(p, "frontendPort", at) ?? throw Missing(at, "frontendPort");
            var backendPort = Json.Int(p, "backendPort", at) ?? frontendPort;
            // HA ports: protocol All on port 0 balances every port, on internal load balancers only.
            var haPorts = protocol == "All" && frontendPort == 0 && backendPort == 0;
            if (haPorts && !isInternal)
                throw ArmException.BadRequest(ArmErrorCodes.PortOutOfRange, $"Load balancing rule {id}: HA ports (protocol All, ports 0) are for internal load balancers only.");
            if (!haPorts && frontendPort is < 1 or > 65534) throw PortOutOfRange(id, "frontendPort", at, frontendPort, 65534);
            if (!haPorts && backendPort is < 1 or > 65535) throw PortOutOfRange(id, "backendPort", at, backendPort, 65535);
            var idle = Json.Int(p, "idleTimeoutInMinutes", at) ?? 4;
            if (idle is < 4 or > 30)
                throw ArmException.BadRequest(ArmErrorCodes.ValueOutOfRange,
                    $"Load balancing rule {id} has idleTimeoutInMinutes {idle} ({at}.idleTimeoutInMinutes); the value must be between 4 and 30.");
            var floating = Json.Bool(p, "enableFloatingIP", at) ?? false;
            p["protocol"] = protocol;
            p["frontendPort"] = frontendPort;
            p["backendPort"] = backendPort;
            p["idleTimeoutInMinutes"] = idle;
            p["enableFloatingIP"] = floating;
            p["enableTcpReset"] = Json.Bool(p, "enableTcpReset", at) ?? false;
            p["disableOutboundSnat"] = Json.Bool(p, "disableOutboundSnat", at) ?? false;
            p["loadDistribution"] = Json.Enum(p, "loadDistribution", at, "Default", "Default", "SourceIP", "SourceIPProtocol");

            var frontendId = Json.Required(Ref(p, "frontendIPConfiguration"), at, "frontendIPConfiguration.id");
            p["frontendIPConfiguration"] = Json.Reference(Resolve(frontends, frontendId, id));
            var poolIds = PoolIds(rule).Select(pool => Resolve(pools, pool, id)).ToList();
            if (p["backendAddressPool"] is not null) p["backendAddressPool"] = Json.Reference(poolIds[0]);
            if (p["backendAddressPools"] is not null) p["backendAddressPools"] = new JsonArray(poolIds.Select(x => (JsonNode?)Json.Reference(x)).ToArray());
            if (Ref(p, "probe") is { } probeId) p["probe"] = Json.Reference(Resolve(probes, probeId, id));

            foreach (var proto in protocol == "All" ? ["Tcp", "Udp"] : new[] { protocol })
            {
                if (!frontendPorts.TryAdd((frontendId.ToLowerInvariant(), proto, frontendPort), id))
                    throw ArmException.BadRequest(ArmErrorCodes.DuplicateFrontendPortAndProtocol,
                        $"Load balancing rules {frontendPorts[(frontendId.ToLowerInvariant(), proto, frontendPort)]} and {id} use the same frontend IP configuration, protocol {proto} and frontend port {frontendPort}.");
                // Without floating IP, a backend port on one backend can serve one rule only.
                if (floating) continue;
                foreach (var pool in poolIds)
                    if (!backendPorts.TryAdd((pool.ToLowerInvariant(), proto, backendPort), id))
                        throw ArmException.BadRequest(ArmErrorCodes.DuplicateBackendPortProtocolAndPool,
                            $"Load balancing rules {backendPorts[(pool.ToLowerInvariant(), proto, backendPort)]} and {id} with floating IP disabled use the same protocol {proto} " +
                            $"and backend port {backendPort} on backend address pool {pool}.");
            }
        }
    }

    private static List<JsonObject> Children(string loadBalancerId, JsonObject given, string collection)
    {
        var children = Json.Array(given, collection, "properties")
            .Select((c, i) => ResourceShape.Child(loadBalancerId, collection, c, $"properties.{collection}[{i}]")).ToList();
        ResourceShape.CheckUnique(children, $"properties.{collection}");
        return children;
    }

    private static IEnumerable<string> PoolIds(JsonObject rule)
    {
        var p = ResourceShape.Properties(rule);
        var ids = new List<string>();
        if (Ref(p, "backendAddressPool") is { } single) ids.Add(single);
        foreach (var item in p["backendAddressPools"] as JsonArray ?? [])
            if (item?["id"]?.GetValue<string>() is { } id && !ids.Contains(id, StringComparer.OrdinalIgnoreCase)) ids.Add(id);
        return ids;
    }

    private static string? Ref(JsonObject properties, string name) => properties[name] is JsonObject o ? o["id"]?.GetValue<string>() : null;

    /// <summary>The referenced child's own id (ARM matches ids without case).</summary>
    private static string Resolve(List<JsonObject> children, string id, string user) =>
        children.Select(c => c["id"]!.GetValue<string>()).FirstOrDefault(c => Json.SameId(c, id)) ?? throw MissingReference(id, user);

    private static int IndexOf(JsonArray items, string name)
    {
        for (var i = 0; i < items.Count; i++)
            if (items[i]!["name"]!.GetValue<string>().Equals(name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    private static JsonArray Array(List<JsonObject> items) => new(items.Select(i => (JsonNode?)i).ToArray());

    private static ArmException MissingReference(string target, string user) =>
        ArmException.BadRequest(ArmErrorCodes.InvalidResourceReference,
            $"Resource {target} referenced by resource {user} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.");

    private static ArmException Missing(string where, string name) =>
        ArmException.BadRequest(ArmErrorCodes.MissingRequiredProperty, $"Property '{where}.{name}' is required.");

    private static ArmException PortOutOfRange(string id, string name, string where, int value, int max) =>
        ArmException.BadRequest(ArmErrorCodes.PortOutOfRange, $"{id} has {name} {value} ({where}.{name}); the valid range is 1-{max}.");

    /// <summary>NRP refuses a write that references a resource another operation is still changing (429, retry later).</summary>
    private static ArmException Busy(string id, StoredResource referenced, string operation)
    {
        var left = referenced.Operation!.DueAt - System.Diagnostics.Stopwatch.GetTimestamp();
        var seconds = Math.Max(1, Math.Ceiling((double)left / System.Diagnostics.Stopwatch.Frequency));
        return new ArmException(HttpStatusCode.TooManyRequests, ArmErrorCodes.RetryableErrorDueToAnotherOperation,
            $"Operation {operation} on resource {id} cannot proceed: referenced resource {referenced.Id} is being changed by operation " +
            $"{referenced.Operation.Name} ({referenced.Operation.Id}). Retry after {seconds} seconds.")
        { RetryAfter = TimeSpan.FromSeconds(seconds) };
    }
}
