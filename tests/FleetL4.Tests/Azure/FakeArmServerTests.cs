using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using Azure.ResourceManager.Resources.Models;
using FleetL4.FakeArm;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Azure;

/// <summary>
/// The fake ARM, driven by the real SDK (Azure.ResourceManager 1.7.0 generic resources, as the provider uses it)
/// and by plain HTTP: what it answers, what it refuses, the faults it injects and the violations it records.
/// </summary>
public sealed class FakeArmServerTests : IAsyncLifetime
{
    private FakeArmServer _arm = null!;
    private RawArm _raw = null!;

    public async Task InitializeAsync() => await Start(new FakeArmOptions());

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _arm.DisposeAsync();
    }

    private async Task Start(FakeArmOptions options)
    {
        if (_arm is not null)
        {
            _raw.Dispose();
            await _arm.DisposeAsync();
        }
        _arm = await FakeArmServer.StartAsync(options);
        _raw = new RawArm(_arm);
    }

    // ---- the SDK ----

    [Fact]
    public async Task Sdk_creates_a_public_ip_and_a_load_balancer_with_frontend_pool_probe_and_rule()
    {
        var client = SdkArm.Create(_arm);
        var ipId = _arm.PublicIpId("kuard-ip");
        var ip = await CreateWithSdk(client, ipId, ArmBodies.PublicIp(_arm));
        var address = Properties(ip)["ipAddress"]!.GetValue<string>();
        Assert.StartsWith("203.0.113.", address);
        Assert.Equal("Succeeded", Properties(ip)["provisioningState"]!.GetValue<string>());

        var lbId = _arm.LoadBalancerId("fleetl4");
        var before = _arm.Requests.Count;
        var lb = await CreateWithSdk(client, lbId, ArmBodies.LoadBalancer(_arm, "fleetl4", ipId));
        var properties = Properties(lb);
        Assert.Equal("Succeeded", properties["provisioningState"]!.GetValue<string>());
        var rule = properties["loadBalancingRules"]![0]!;
        Assert.Equal($"{lbId}/loadBalancingRules/rule", rule["id"]!.GetValue<string>());
        Assert.Equal($"{lbId}/probes/probe", rule["properties"]!["probe"]!["id"]!.GetValue<string>());
        Assert.Equal(4, rule["properties"]!["idleTimeoutInMinutes"]!.GetValue<int>());
        Assert.Equal("Default", rule["properties"]!["loadDistribution"]!.GetValue<string>());
        // Frontend, pool and probe list the rule that uses them; the public IP shows the frontend that uses it.
        Assert.Equal(rule["id"]!.GetValue<string>(), properties["frontendIPConfigurations"]![0]!["properties"]!["loadBalancingRules"]![0]!["id"]!.GetValue<string>());
        Assert.Equal($"{lbId}/frontendIPConfigurations/fe", _arm.Get(ipId)!["properties"]!["ipConfiguration"]!["id"]!.GetValue<string>());

        // Tags travel through GenericResourceData; the SDK's LRO polled Azure-AsyncOperation, then read the resource.
        Assert.Equal("kuard-demo/kuard", _arm.Get(lbId)!["tags"]!["fleetl4.io/owner"]!.GetValue<string>());
        var lbRequests = _arm.Requests.Skip(before).ToList();
        Assert.Equal("PUT", lbRequests[0].Method);
        Assert.Equal(HttpStatusCode.Created, lbRequests[0].Status);
        Assert.Contains(lbRequests, r => r.Path.Contains("/operations/", StringComparison.Ordinal));
        Assert.Equal(("GET", lbId), (lbRequests[^1].Method, lbRequests[^1].Path));
        Assert.Equal(1, _arm.Writes[lbId]);
        Assert.Empty(_arm.Violations);

        var delete = await client.GetGenericResource(new ResourceIdentifier(lbId)).DeleteAsync(WaitUntil.Started);
        await SdkArm.PollAsync(delete);
        Assert.Null(_arm.Get(lbId));
        Assert.Null(_arm.Get(ipId)!["properties"]!["ipConfiguration"]);
    }

    [Fact]
    public async Task Sdk_without_pinned_api_versions_reads_them_from_the_provider_registration()
    {
        await _raw.PutAndWait(_arm.PublicIpId("ip"), ArmBodies.PublicIp(_arm));
        var unpinned = SdkArm.Create(_arm, pinApiVersions: false);

        var ip = await unpinned.GetGenericResource(new ResourceIdentifier(_arm.PublicIpId("ip"))).GetAsync();

        Assert.Equal("Succeeded", JsonNode.Parse(ip.Value.Data.Properties.ToString())!["provisioningState"]!.GetValue<string>());
        Assert.Contains(_arm.Requests, r => r.Method == "GET" && r.Path.EndsWith("/providers/Microsoft.Network", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Sdk_retries_a_throttled_put_at_retry_after_and_that_is_no_violation()
    {
        var client = SdkArm.Create(_arm);
        var throttle = _arm.Inject(FakeArmFault.Throttled(TimeSpan.FromSeconds(1)) with { Method = "PUT", Path = "/publicIPAddresses/ip$" });
        var watch = Stopwatch.StartNew();

        var ip = await CreateWithSdk(client, _arm.PublicIpId("ip"), ArmBodies.PublicIp(_arm));

        Assert.Equal(1, throttle.Hits);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {watch.Elapsed}");
        Assert.NotNull(Properties(ip)["ipAddress"]);
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.Created],
            _arm.Requests.Where(r => r.Method == "PUT").Select(r => r.Status));
        Assert.Empty(_arm.Violations);
    }

    [Fact]
    public async Task Sdk_sees_a_superseded_write_as_canceled_and_the_overlap_is_a_violation()
    {
        var client = SdkArm.Create(_arm);
        var ipId = _arm.PublicIpId("ip");
        var lbId = _arm.LoadBalancerId("lb");
        await CreateWithSdk(client, ipId, ArmBodies.PublicIp(_arm));
        await CreateWithSdk(client, lbId, ArmBodies.LoadBalancer(_arm, "lb", ipId));
        _arm.Inject(FakeArmFault.SlowOperation(TimeSpan.FromSeconds(30)) with { Method = "PUT", Path = "/backendAddressPools/pool$" });

        var pool = ArmBodies.Pool(_arm, "pool", ArmBodies.PodIps(3))["properties"]!.AsObject();
        var poolWrite = await client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Started, new ResourceIdentifier($"{lbId}/backendAddressPools/pool"), Data(pool, sku: null));
        // A whole-LB PUT while the pool PUT is in flight: NRP cancels the pool PUT.
        await CreateWithSdk(client, lbId, ArmBodies.LoadBalancer(_arm, "lb", ipId, frontendPort: 81));

        var canceled = await Assert.ThrowsAsync<RequestFailedException>(() => SdkArm.WaitAsync(poolWrite));
        Assert.Equal(ArmErrorCodes.Canceled, canceled.ErrorCode);
        Assert.Contains(ArmErrorCodes.CanceledAndSupersededDueToAnotherOperation, canceled.GetRawResponse()!.Content.ToString());
        var violation = Assert.Single(_arm.Violations);
        Assert.Equal(ArmViolationKind.OverlappingWrite, violation.Kind);
        Assert.Contains("PutLoadBalancerBackendAddressPoolOperation", violation.Text);
        Assert.Equal(81, ArmBodies.First(_arm.Get(lbId)!, "loadBalancingRules")["frontendPort"]!.GetValue<int>());
    }

    // ---- ARM's front door ----

    [Fact]
    public async Task Requests_without_the_bearer_token_are_refused()
    {
        using var anonymous = _arm.CreateHttpClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        var path = $"{_arm.PublicIpId("ip")}?api-version={ArmBodies.ApiVersion}";

        var missing = await RawArm.Answer.Read(await anonymous.GetAsync(path));
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-token");
        var wrong = await RawArm.Answer.Read(await anonymous.GetAsync(path));

        Assert.Equal((HttpStatusCode.Unauthorized, ArmErrorCodes.AuthenticationFailed), (missing.Status, missing.ErrorCode));
        Assert.Equal((HttpStatusCode.Unauthorized, ArmErrorCodes.InvalidAuthenticationToken), (wrong.Status, wrong.ErrorCode));
        Assert.NotNull(wrong.Response.Headers.WwwAuthenticate.FirstOrDefault());
    }

    [Fact]
    public async Task Api_versions_are_checked_as_arm_checks_them()
    {
        var path = _arm.PublicIpId("ip");

        var none = await _raw.Get(path, apiVersion: null!);
        var malformed = await _raw.Get(path, "latest");
        var unserved = await _raw.Get(path, "2015-06-15");
        var served = await _raw.Get(path, "2024-05-01");

        Assert.Equal(ArmErrorCodes.MissingApiVersionParameter, none.ErrorCode);
        Assert.Equal(ArmErrorCodes.InvalidApiVersionParameter, malformed.ErrorCode);
        Assert.Equal(ArmErrorCodes.NoRegisteredProviderFound, unserved.ErrorCode);
        Assert.Contains("2024-05-01", unserved.Json["error"]!["message"]!.GetValue<string>());
        Assert.Equal(ArmErrorCodes.ResourceNotFound, served.ErrorCode);
    }

    [Fact]
    public async Task Provider_registration_lists_the_network_types_with_their_api_versions()
    {
        var registration = await _raw.Get($"/subscriptions/{_arm.SubscriptionId}/providers/Microsoft.Network", "2022-09-01");

        Assert.Equal(HttpStatusCode.OK, registration.Status);
        var types = registration.Json["resourceTypes"]!.AsArray().ToDictionary(t => t!["resourceType"]!.GetValue<string>(), t => t!["apiVersions"]!.AsArray());
        foreach (var type in new[] { "loadBalancers", "publicIPAddresses", "loadBalancers/backendAddressPools" })
            Assert.Equal("2024-05-01", types[type][0]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_resource_groups_and_resources_are_404_in_arms_words()
    {
        var elsewhere = $"/subscriptions/{_arm.SubscriptionId}/resourceGroups/nowhere/providers/Microsoft.Network/publicIPAddresses/ip";

        var put = await _raw.Put(elsewhere, ArmBodies.PublicIp(_arm));
        var get = await _raw.Get(_arm.PublicIpId("absent"));
        var pool = await _raw.Get($"{_arm.LoadBalancerId("absent")}/backendAddressPools/pool");
        var delete = await _raw.Delete(_arm.LoadBalancerId("absent"));

        Assert.Equal((HttpStatusCode.NotFound, ArmErrorCodes.ResourceGroupNotFound), (put.Status, put.ErrorCode));
        Assert.Equal((HttpStatusCode.NotFound, ArmErrorCodes.ResourceNotFound), (get.Status, get.ErrorCode));
        Assert.Contains("Microsoft.Network/publicIPAddresses/absent", get.Json["error"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, pool.Status);
        Assert.Equal(HttpStatusCode.NoContent, delete.Status);
        Assert.Empty(_arm.Writes);
    }

    // ---- resources and long-running operations ----

    [Fact]
    public async Task A_put_answers_with_an_operation_and_the_resource_succeeds_when_it_ends()
    {
        var id = _arm.PublicIpId("ip");

        var put = await _raw.Put(id, ArmBodies.PublicIp(_arm));

        Assert.Equal(HttpStatusCode.Created, put.Status);
        Assert.Equal("Updating", put.Json["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Null(put.Json["properties"]!["ipAddress"]);
        var operation = new Uri(put.Header("Azure-AsyncOperation")!);
        Assert.Equal(_arm.Endpoint.Authority, operation.Authority);
        Assert.Matches($"^/subscriptions/{_arm.SubscriptionId}/providers/Microsoft.Network/locations/eastus/operations/[0-9a-f-]+$", operation.AbsolutePath);
        Assert.Equal("Succeeded", (await _raw.Wait(put))["status"]!.GetValue<string>());
        var done = await _raw.Get(id);
        Assert.Equal("Succeeded", done.Json["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Matches(@"^W/""[0-9a-f-]{36}""$", done.Json["etag"]!.GetValue<string>());
        Assert.NotEqual(put.Json["etag"]!.GetValue<string>(), done.Json["etag"]!.GetValue<string>());
        var address = done.Json["properties"]!["ipAddress"]!.GetValue<string>();

        var update = await _raw.Put(id, ArmBodies.PublicIp(_arm));
        Assert.Equal(HttpStatusCode.OK, update.Status);
        Assert.Equal(address, update.Json["properties"]!["ipAddress"]!.GetValue<string>());
    }

    [Fact]
    public async Task Public_ips_come_from_the_documentation_ranges()
    {
        var v4 = await _raw.PutAndWait(_arm.PublicIpId("v4"), ArmBodies.PublicIp(_arm));
        var v6 = await _raw.PutAndWait(_arm.PublicIpId("v6"), ArmBodies.PublicIp(_arm, version: "IPv6"));

        Assert.Equal("203.0.113.1", (await _raw.Get(_arm.PublicIpId("v4"))).Json["properties"]!["ipAddress"]!.GetValue<string>());
        Assert.Equal("2001:db8::1", (await _raw.Get(_arm.PublicIpId("v6"))).Json["properties"]!["ipAddress"]!.GetValue<string>());
        for (var i = 0; i < 254; i++) await _raw.Put(_arm.PublicIpId($"more-{i}"), ArmBodies.PublicIp(_arm));
        await Eventually.True(() => _arm.OperationsInProgress == 0, "public IP operations to end");
        Assert.Equal("198.51.100.1", _arm.Get(_arm.PublicIpId("more-253"))!["properties"]!["ipAddress"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pool_put_changes_just_that_pool_and_gives_the_load_balancer_a_new_etag()
    {
        var lbId = await PublicLoadBalancer("lb");
        var before = _arm.Get(lbId)!;

        var (put, operation) = await _raw.PutAndWait($"{lbId}/backendAddressPools/pool",
            ArmBodies.Pool(_arm, "pool", "10.224.0.4", "10.224.0.5", "10.224.0.6"));

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("Updating", put.Json["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal("Succeeded", operation["status"]!.GetValue<string>());
        var pool = (await _raw.Get($"{lbId}/backendAddressPools/pool")).Json;
        var addresses = pool["properties"]!["loadBalancerBackendAddresses"]!.AsArray();
        Assert.Equal(["10.224.0.4", "10.224.0.5", "10.224.0.6"], addresses.Select(a => a!["properties"]!["ipAddress"]!.GetValue<string>()));
        Assert.All(addresses, a => Assert.Equal(_arm.VirtualNetworkId, a!["properties"]!["virtualNetwork"]!["id"]!.GetValue<string>()));
        var after = _arm.Get(lbId)!;
        Assert.NotEqual(before["etag"]!.GetValue<string>(), after["etag"]!.GetValue<string>());
        Assert.Equal(after["etag"]!.GetValue<string>(), pool["etag"]!.GetValue<string>());
        Assert.Equal(WithoutState(before["properties"]!["loadBalancingRules"]!), WithoutState(after["properties"]!["loadBalancingRules"]!));
        Assert.Equal(1, _arm.Writes[$"{lbId}/backendAddressPools/pool"]);
        Assert.Equal(2, _arm.WritesTo(lbId));
    }

    [Fact]
    public async Task A_whole_load_balancer_put_replaces_its_pools()
    {
        var lbId = await PublicLoadBalancer("lb");
        await _raw.PutAndWait($"{lbId}/backendAddressPools/extra", ArmBodies.Pool(_arm, "extra", "10.224.0.9"));
        Assert.NotNull(_arm.Get($"{lbId}/backendAddressPools/extra"));

        await _raw.PutAndWait(lbId, ArmBodies.LoadBalancer(_arm, "lb", _arm.PublicIpId("lb-ip")));

        Assert.Null(_arm.Get($"{lbId}/backendAddressPools/extra"));
        Assert.NotNull(_arm.Get($"{lbId}/backendAddressPools/pool"));
    }

    [Fact]
    public async Task A_pool_a_rule_uses_cannot_be_deleted_and_an_unused_one_can()
    {
        var lbId = await PublicLoadBalancer("lb");
        await _raw.PutAndWait($"{lbId}/backendAddressPools/spare", ArmBodies.Pool(_arm, "spare", "10.224.0.9"));

        var used = await _raw.Delete($"{lbId}/backendAddressPools/pool");
        var spare = await _raw.Delete($"{lbId}/backendAddressPools/spare");
        await _raw.Wait(spare);

        Assert.Equal((HttpStatusCode.BadRequest, ArmErrorCodes.InUseBackendAddressPoolCannotBeDeleted), (used.Status, used.ErrorCode));
        Assert.Equal(HttpStatusCode.Accepted, spare.Status);
        Assert.Equal(["pool"], _arm.Get(lbId)!["properties"]!["backendAddressPools"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NoContent, (await _raw.Delete($"{lbId}/backendAddressPools/spare")).Status);
    }

    [Fact]
    public async Task A_patch_changes_tags_only_at_once()
    {
        var lbId = await PublicLoadBalancer("lb");
        var etag = _arm.Get(lbId)!["etag"]!.GetValue<string>();

        var patch = await _raw.Send(HttpMethod.Patch, lbId, new JsonObject
        {
            ["tags"] = new JsonObject { ["team"] = "net" },
            ["properties"] = new JsonObject { ["frontendIPConfigurations"] = new JsonArray() },
        }, ArmBodies.ApiVersion);

        Assert.Equal(HttpStatusCode.OK, patch.Status);
        Assert.Null(patch.Header("Azure-AsyncOperation"));
        var lb = _arm.Get(lbId)!;
        Assert.Equal("net", lb["tags"]!["team"]!.GetValue<string>());
        Assert.Single(lb["properties"]!["frontendIPConfigurations"]!.AsArray());
        Assert.NotEqual(etag, lb["etag"]!.GetValue<string>());
    }

    [Fact]
    public async Task If_match_and_if_none_match_are_honoured()
    {
        var lbId = await PublicLoadBalancer("lb");
        var etag = _arm.Get(lbId)!["etag"]!.GetValue<string>();
        var body = ArmBodies.LoadBalancer(_arm, "lb", _arm.PublicIpId("lb-ip"));

        var fresh = await _raw.PutAndWait(lbId, body, ifMatch: etag);
        var stale = await _raw.Put(lbId, body, ifMatch: etag);
        var stalePool = await _raw.Put($"{lbId}/backendAddressPools/pool", ArmBodies.Pool(_arm, "pool"), ifMatch: etag);
        var any = await _raw.PutAndWait(lbId, body, ifMatch: "*");
        var createOnly = await _raw.Put(lbId, body, ifNoneMatch: "*");
        var absent = await _raw.Put(_arm.LoadBalancerId("absent"), body, ifMatch: "*");

        Assert.Equal(HttpStatusCode.OK, fresh.Put.Status);
        Assert.Equal((HttpStatusCode.PreconditionFailed, ArmErrorCodes.PreconditionFailed), (stale.Status, stale.ErrorCode));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stalePool.Status);
        Assert.Equal(HttpStatusCode.OK, any.Put.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, createOnly.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, absent.Status);
    }

    [Fact]
    public async Task A_public_ip_in_use_cannot_be_deleted_and_a_delete_is_a_long_running_operation()
    {
        var lbId = await PublicLoadBalancer("lb");
        var ipId = _arm.PublicIpId("lb-ip");

        var inUse = await _raw.Delete(ipId);
        var deleteLb = await _raw.Delete(lbId);
        var deleting = await _raw.Get(lbId);
        await _raw.Wait(deleteLb);
        var deleteIp = await _raw.Delete(ipId);
        await _raw.Wait(deleteIp);

        Assert.Equal((HttpStatusCode.BadRequest, ArmErrorCodes.PublicIPAddressCannotBeDeleted), (inUse.Status, inUse.ErrorCode));
        Assert.Equal(HttpStatusCode.Accepted, deleteLb.Status);
        Assert.NotNull(deleteLb.Header("Location"));
        Assert.Contains(deleting.Json["properties"]?["provisioningState"]?.GetValue<string>(), new[] { "Deleting", null });
        Assert.Equal(HttpStatusCode.NotFound, (await _raw.Get(lbId)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _raw.Get(ipId)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await _raw.Delete(ipId)).Status);
    }

    [Fact]
    public async Task Lists_hold_the_public_ips_and_load_balancers_of_a_resource_group()
    {
        await PublicLoadBalancer("b");
        await PublicLoadBalancer("a");

        var ips = await _raw.Get($"{_arm.ResourceGroupId()}/providers/Microsoft.Network/publicIPAddresses");
        var lbs = await _raw.Get($"{_arm.ResourceGroupId()}/providers/Microsoft.Network/loadBalancers");

        Assert.Equal(["a-ip", "b-ip"], ips.Json["value"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal(["a", "b"], lbs.Json["value"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal(4, _arm.Resources.Count);
    }

    [Fact]
    public async Task Internal_frontends_take_addresses_from_their_subnet()
    {
        var lbId = _arm.LoadBalancerId("lb-internal");
        var subnet = _arm.SubnetId("internal-lb");
        JsonObject Frontend(string name, string? staticIp = null) => ArmBodies.Named(name, staticIp is null
            ? new JsonObject { ["subnet"] = ArmBodies.Ref(subnet) }
            : new JsonObject { ["subnet"] = ArmBodies.Ref(subnet), ["privateIPAllocationMethod"] = "Static", ["privateIPAddress"] = staticIp });
        JsonObject Body(params JsonObject[] frontends) => new()
        {
            ["location"] = _arm.Location,
            ["sku"] = new JsonObject { ["name"] = "Standard" },
            ["properties"] = new JsonObject { ["frontendIPConfigurations"] = new JsonArray(frontends) },
        };

        await _raw.PutAndWait(lbId, Body(Frontend("a"), Frontend("b", "10.225.0.10")));
        await _raw.PutAndWait(lbId, Body(Frontend("c"), Frontend("b", "10.225.0.10"), Frontend("a")));
        var outside = await _raw.Put(lbId, Body(Frontend("x", "10.0.0.10")));
        var reserved = await _raw.Put(lbId, Body(Frontend("x", "10.225.0.1")));
        var unknownSubnet = await _raw.Put(lbId, Body(ArmBodies.Named("x", new JsonObject { ["subnet"] = ArmBodies.Ref(subnet + "-nope") })));

        var frontends = _arm.Get(lbId)!["properties"]!["frontendIPConfigurations"]!.AsArray()
            .ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["properties"]!["privateIPAddress"]!.GetValue<string>());
        Assert.Equal("10.225.0.4", frontends["a"]);
        Assert.Equal("10.225.0.10", frontends["b"]);
        Assert.Equal("10.225.0.5", frontends["c"]);
        Assert.Equal(ArmErrorCodes.PrivateIPAddressNotInSubnet, outside.ErrorCode);
        Assert.Equal(ArmErrorCodes.PrivateIPAddressNotInSubnet, reserved.ErrorCode);
        Assert.Equal(ArmErrorCodes.InvalidResourceReference, unknownSubnet.ErrorCode);
    }

    // ---- validation ----

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "basic load balancer", ArmErrorCodes.UnsupportedSku, "sku.name" },
        { "basic public ip", ArmErrorCodes.UnsupportedSku, "sku.name" },
        { "dynamic public ip", ArmErrorCodes.StandardSkuPublicIPAddressesMustBeStatic, "publicIPAllocationMethod" },
        { "rule references a missing probe", ArmErrorCodes.InvalidResourceReference, "/probes/nope" },
        { "frontend references a missing public ip", ArmErrorCodes.InvalidResourceReference, "/publicIPAddresses/nope" },
        { "frontend port 0", ArmErrorCodes.PortOutOfRange, "loadBalancingRules[0].properties.frontendPort" },
        { "frontend port 65535", ArmErrorCodes.PortOutOfRange, "frontendPort" },
        { "backend port 65536", ArmErrorCodes.PortOutOfRange, "backendPort" },
        { "idle timeout 31", ArmErrorCodes.ValueOutOfRange, "idleTimeoutInMinutes" },
        { "probe interval 4", ArmErrorCodes.ValueOutOfRange, "intervalInSeconds" },
        { "probe protocol Icmp", ArmErrorCodes.InvalidEnumValue, "probes[0].properties.protocol" },
        { "5,001 addresses", ArmErrorCodes.MaxBackendAddressesPerPoolReached, "5001" },
        { "invalid address", ArmErrorCodes.InvalidIPAddress, "ipAddress" },
        { "address in another vnet", ArmErrorCodes.BackendAddressNotInVirtualNetwork, "virtualNetwork.id" },
        { "public and internal frontends", ArmErrorCodes.LoadBalancerMixesPublicAndInternalFrontends, "frontendIPConfigurations[1]" },
        { "two rules on one frontend port", ArmErrorCodes.DuplicateFrontendPortAndProtocol, "frontend port 80" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Invalid_requests_are_refused_with_a_code_and_the_property_named(string refusal, string code, string named)
    {
        var ipId = _arm.PublicIpId("ip");
        var lbId = _arm.LoadBalancerId("lb");
        await _raw.PutAndWait(ipId, ArmBodies.PublicIp(_arm));
        var lb = ArmBodies.LoadBalancer(_arm, "lb", ipId);
        var properties = lb["properties"]!.AsObject();
        var rule = ArmBodies.First(lb, "loadBalancingRules");
        var (path, body) = (lbId, lb);
        switch (refusal)
        {
            case "basic load balancer": lb["sku"]!["name"] = "Basic"; break;
            case "basic public ip": (path, body) = (_arm.PublicIpId("ip2"), ArmBodies.PublicIp(_arm, sku: "Basic")); break;
            case "dynamic public ip": (path, body) = (_arm.PublicIpId("ip2"), ArmBodies.PublicIp(_arm, allocation: "Dynamic")); break;
            case "rule references a missing probe": rule["probe"] = ArmBodies.Ref($"{lbId}/probes/nope"); break;
            case "frontend references a missing public ip": body = ArmBodies.LoadBalancer(_arm, "lb", _arm.PublicIpId("nope")); break;
            case "frontend port 0": rule["frontendPort"] = 0; break;
            case "frontend port 65535": rule["frontendPort"] = 65535; break;
            case "backend port 65536": rule["backendPort"] = 65536; break;
            case "idle timeout 31": rule["idleTimeoutInMinutes"] = 31; break;
            case "probe interval 4": ArmBodies.First(lb, "probes")["intervalInSeconds"] = 4; break;
            case "probe protocol Icmp": ArmBodies.First(lb, "probes")["protocol"] = "Icmp"; break;
            case "5,001 addresses": properties["backendAddressPools"] = new JsonArray(ArmBodies.Pool(_arm, "pool", ArmBodies.PodIps(5_001))); break;
            case "invalid address": properties["backendAddressPools"] = new JsonArray(ArmBodies.Pool(_arm, "pool", "10.224.0.300")); break;
            case "address in another vnet":
                var pool = ArmBodies.Pool(_arm, "pool", "10.224.0.4");
                pool["properties"]!["loadBalancerBackendAddresses"]![0]!["properties"]!["virtualNetwork"] = ArmBodies.Ref(_arm.VirtualNetworkId + "-other");
                properties["backendAddressPools"] = new JsonArray(pool);
                break;
            case "public and internal frontends":
                properties["frontendIPConfigurations"]!.AsArray().Add(ArmBodies.Named("internal", new JsonObject { ["subnet"] = ArmBodies.Ref(_arm.SubnetId("internal-lb")) }));
                break;
            case "two rules on one frontend port":
                var second = properties["loadBalancingRules"]![0]!.DeepClone().AsObject();
                second["name"] = "rule2";
                second["properties"]!["backendPort"] = 9090;
                properties["loadBalancingRules"]!.AsArray().Add(second);
                break;
            default: throw new ArgumentException(refusal);
        }

        var answer = await _raw.Put(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(code, answer.ErrorCode);
        Assert.Contains(named, answer.Json["error"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await _raw.Get(path)).Status);
        Assert.False(_arm.Writes.ContainsKey(path));
    }

    [Fact]
    public async Task Standard_limits_on_frontends_and_rules_are_enforced()
    {
        await Start(new FakeArmOptions { MaxFrontendsPerLoadBalancer = 1, MaxRulesPerLoadBalancer = 1 });
        var lbId = await PublicLoadBalancer("lb");
        await _raw.PutAndWait(_arm.PublicIpId("ip2"), ArmBodies.PublicIp(_arm));
        var twoFrontends = ArmBodies.LoadBalancer(_arm, "lb", _arm.PublicIpId("lb-ip"));
        twoFrontends["properties"]!["frontendIPConfigurations"]!.AsArray().Add(ArmBodies.Named("fe2", new JsonObject { ["publicIPAddress"] = ArmBodies.Ref(_arm.PublicIpId("ip2")) }));
        var twoRules = ArmBodies.LoadBalancer(_arm, "lb", _arm.PublicIpId("lb-ip"));
        var rule = twoRules["properties"]!["loadBalancingRules"]![0]!.DeepClone().AsObject();
        rule["name"] = "rule2";
        rule["properties"]!["frontendPort"] = 443;
        twoRules["properties"]!["loadBalancingRules"]!.AsArray().Add(rule);

        Assert.Equal(ArmErrorCodes.MaxFrontendIPConfigurationsPerLoadBalancerReached, (await _raw.Put(lbId, twoFrontends)).ErrorCode);
        Assert.Equal(ArmErrorCodes.MaxLoadBalancingRulesPerLoadBalancerReached, (await _raw.Put(lbId, twoRules)).ErrorCode);
    }

    // ---- faults ----

    [Fact]
    public async Task Injected_throttling_answers_429_with_retry_after_for_its_scope()
    {
        var lbId = await PublicLoadBalancer("lb");
        _arm.Inject(FakeArmFault.Throttled(TimeSpan.FromSeconds(7)) with { Method = "PUT", Path = "/loadBalancers/lb$" });
        _arm.Inject(FakeArmFault.Throttled(TimeSpan.FromSeconds(9), ThrottleScope.Subscription) with { Method = "PUT", Path = "/publicIPAddresses/" });

        var lbThrottled = await _raw.Put(lbId, ArmBodies.LoadBalancer(_arm, "lb", _arm.PublicIpId("lb-ip")));
        var subscriptionThrottled = await _raw.Put(_arm.PublicIpId("other"), ArmBodies.PublicIp(_arm));

        Assert.Equal((HttpStatusCode.TooManyRequests, ArmErrorCodes.TooManyRequests, "7"), (lbThrottled.Status, lbThrottled.ErrorCode, lbThrottled.Header("Retry-After")));
        Assert.Equal((HttpStatusCode.TooManyRequests, ArmErrorCodes.SubscriptionRequestsThrottled, "9"),
            (subscriptionThrottled.Status, subscriptionThrottled.ErrorCode, subscriptionThrottled.Header("Retry-After")));
        Assert.Empty(_arm.Violations);
    }

    [Fact]
    public async Task Injected_busy_conflict_precondition_and_server_errors_strike_the_next_matching_requests()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await Start(new FakeArmOptions { Clock = clock });
        var lbId = await PublicLoadBalancer("lb");
        var poolPath = $"{lbId}/backendAddressPools/pool";
        var pool = ArmBodies.Pool(_arm, "pool", "10.224.0.4");
        _arm.Inject(FakeArmFault.AnotherOperationInProgress() with { Method = "PUT", Path = "/backendAddressPools/pool$" });
        _arm.Inject(FakeArmFault.RetryableErrorDueToAnotherOperation(TimeSpan.FromSeconds(1)) with { Method = "PUT", Path = "/backendAddressPools/pool$" });
        _arm.Inject(FakeArmFault.PreconditionFailed() with { Method = "PUT", Path = "/backendAddressPools/pool$" });
        var serverErrors = _arm.Inject(FakeArmFault.InternalServerError() with { Method = "GET", Path = "/loadBalancers/lb$", Times = 2 });

        var conflict = await _raw.Put(poolPath, pool);
        var busy = await _raw.Put(poolPath, pool);
        clock.Advance(TimeSpan.FromSeconds(1));
        var precondition = await _raw.Put(poolPath, pool);
        var written = await _raw.Put(poolPath, pool);
        var get1 = await _raw.Get(lbId);
        var get2 = await _raw.Get(lbId);
        var get3 = await _raw.Get(lbId);

        Assert.Equal((HttpStatusCode.Conflict, ArmErrorCodes.AnotherOperationInProgress), (conflict.Status, conflict.ErrorCode));
        Assert.Equal((HttpStatusCode.TooManyRequests, ArmErrorCodes.RetryableErrorDueToAnotherOperation, "1"), (busy.Status, busy.ErrorCode, busy.Header("Retry-After")));
        Assert.Equal((HttpStatusCode.PreconditionFailed, ArmErrorCodes.PreconditionFailed), (precondition.Status, precondition.ErrorCode));
        Assert.Equal(HttpStatusCode.OK, written.Status);
        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK], new[] { get1.Status, get2.Status, get3.Status });
        Assert.Equal((2, 0), (serverErrors.Hits, serverErrors.Remaining));
        Assert.Empty(_arm.Violations);
    }

    [Fact]
    public async Task An_injected_operation_failure_ends_the_operation_failed_and_the_resource_failed()
    {
        var lbId = await PublicLoadBalancer("lb");
        _arm.Inject(FakeArmFault.OperationFailed("InternalServerError", "NRP could not program the pool") with { Path = "/backendAddressPools/pool$" });

        var (put, operation) = await _raw.PutAndWait($"{lbId}/backendAddressPools/pool", ArmBodies.Pool(_arm, "pool", "10.224.0.4"));

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("Failed", operation["status"]!.GetValue<string>());
        Assert.Equal("NRP could not program the pool", operation["error"]!["message"]!.GetValue<string>());
        Assert.Equal("Failed", _arm.Get(lbId)!["properties"]!["provisioningState"]!.GetValue<string>());
        // The next write repairs it.
        await _raw.PutAndWait(lbId, ArmBodies.LoadBalancer(_arm, "lb", _arm.PublicIpId("lb-ip")));
        Assert.Equal("Succeeded", _arm.Get(lbId)!["properties"]!["provisioningState"]!.GetValue<string>());
    }

    [Fact]
    public async Task Slow_answers_and_slow_operations_take_the_time_asked()
    {
        var lbId = await PublicLoadBalancer("lb");
        _arm.Inject(FakeArmFault.SlowAnswer(TimeSpan.FromMilliseconds(300)) with { Method = "GET", Path = "/loadBalancers/lb$" });
        _arm.Inject(FakeArmFault.SlowOperation(TimeSpan.FromMilliseconds(400)) with { Method = "PUT" });

        var watch = Stopwatch.StartNew();
        var slowGet = await _raw.Get(lbId);
        var answeredAfter = watch.Elapsed;
        watch.Restart();
        var (_, operation) = await _raw.PutAndWait(lbId, ArmBodies.LoadBalancer(_arm, "lb", _arm.PublicIpId("lb-ip")));

        Assert.Equal(HttpStatusCode.OK, slowGet.Status);
        Assert.True(answeredAfter >= TimeSpan.FromMilliseconds(290), $"answered after {answeredAfter}");
        Assert.Equal("Succeeded", operation["status"]!.GetValue<string>());
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(390), $"operation ended after {watch.Elapsed}");
    }

    [Fact]
    public async Task A_pool_changed_behind_the_clients_back_has_new_addresses_and_a_new_etag()
    {
        var lbId = await PublicLoadBalancer("lb");
        await _raw.PutAndWait($"{lbId}/backendAddressPools/pool", ArmBodies.Pool(_arm, "pool", "10.224.0.4", "10.224.0.5"));
        var etag = _arm.Get(lbId)!["etag"]!.GetValue<string>();
        var requests = _arm.Requests.Count;

        _arm.MutatePool("lb", "pool", ["10.224.0.5"]);

        var pool = (await _raw.Get($"{lbId}/backendAddressPools/pool")).Json;
        Assert.Equal(["10.224.0.5"], pool["properties"]!["loadBalancerBackendAddresses"]!.AsArray().Select(a => a!["properties"]!["ipAddress"]!.GetValue<string>()));
        Assert.NotEqual(etag, pool["etag"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _raw.Put($"{lbId}/backendAddressPools/pool", ArmBodies.Pool(_arm, "pool"), ifMatch: etag)).Status);
        Assert.Equal(requests + 2, _arm.Requests.Count);
    }

    // ---- violations ----

    [Fact]
    public async Task Overlapping_writes_on_one_load_balancer_cancel_the_earlier_and_are_violations()
    {
        var lbId = await PublicLoadBalancer("lb");
        _arm.Inject(FakeArmFault.SlowOperation(TimeSpan.FromSeconds(30)) with { Method = "PUT", Path = "/backendAddressPools/pool$" });

        var poolPut = await _raw.Put($"{lbId}/backendAddressPools/pool", ArmBodies.Pool(_arm, "pool", "10.224.0.4"));
        var (_, lbOperation) = await _raw.PutAndWait(lbId, ArmBodies.LoadBalancer(_arm, "lb", _arm.PublicIpId("lb-ip"), frontendPort: 81));
        var poolOperation = await _raw.Wait(poolPut);

        Assert.Equal("Succeeded", lbOperation["status"]!.GetValue<string>());
        Assert.Equal("Canceled", poolOperation["status"]!.GetValue<string>());
        Assert.Equal(ArmErrorCodes.Canceled, poolOperation["error"]!["code"]!.GetValue<string>());
        Assert.Equal(ArmErrorCodes.CanceledAndSupersededDueToAnotherOperation, poolOperation["error"]!["details"]![0]!["code"]!.GetValue<string>());
        var violation = Assert.Single(_arm.Violations);
        Assert.Equal(ArmViolationKind.OverlappingWrite, violation.Kind);
        Assert.Contains($"PUT {lbId}", violation.Text);
        Assert.Equal("Succeeded", _arm.Get(lbId)!["properties"]!["provisioningState"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_call_before_the_retry_after_of_its_scope_is_a_violation()
    {
        var lbId = await PublicLoadBalancer("lb");
        var otherId = await PublicLoadBalancer("other");
        _arm.Inject(FakeArmFault.Throttled(TimeSpan.FromSeconds(30)) with { Method = "PUT", Path = "/loadBalancers/lb$" });

        var throttled = await _raw.Put(lbId, ArmBodies.LoadBalancer(_arm, "lb", _arm.PublicIpId("lb-ip")));
        await _raw.Get(otherId);
        Assert.Empty(_arm.Violations);
        await _raw.Get($"{lbId}/backendAddressPools/pool");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Status);
        var violation = Assert.Single(_arm.Violations);
        Assert.Equal(ArmViolationKind.RequestBeforeRetryAfter, violation.Kind);
        Assert.Contains($"GET {lbId}/backendAddressPools/pool", violation.Text);
        Assert.Contains(ArmErrorCodes.TooManyRequests, violation.Text);
    }

    [Fact]
    public async Task The_write_budget_is_a_sliding_five_minute_window_and_early_writes_are_violations()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        await Start(new FakeArmOptions { WritesPer5Minutes = 3, ReadsPer5Minutes = 100, Clock = clock });
        var body = ArmBodies.PublicIp(_arm);

        var remaining = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var put = await _raw.Put(_arm.PublicIpId($"ip{i}"), body);
            remaining.Add(put.Header("x-ms-ratelimit-remaining-subscription-writes"));
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        var over = await _raw.Put(_arm.PublicIpId("ip3"), body);
        var read = await _raw.Get(_arm.PublicIpId("ip0"));
        clock.Advance(TimeSpan.FromSeconds(30));
        var early = await _raw.Put(_arm.PublicIpId("ip3"), body);
        clock.Advance(TimeSpan.FromSeconds(90));
        var after = await _raw.Put(_arm.PublicIpId("ip3"), body);

        Assert.Equal(["2", "1", "0"], remaining);
        Assert.Equal((HttpStatusCode.TooManyRequests, ArmErrorCodes.SubscriptionRequestsThrottled), (over.Status, over.ErrorCode));
        Assert.Equal("120", over.Header("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("99", read.Header("x-ms-ratelimit-remaining-subscription-reads"));
        Assert.Equal(HttpStatusCode.TooManyRequests, early.Status);
        Assert.Equal(HttpStatusCode.Created, after.Status);
        var violation = Assert.Single(_arm.Violations);
        Assert.Equal(ArmViolationKind.RequestBeforeRetryAfter, violation.Kind);
        Assert.Contains("writes of", violation.Text);
    }

    // ---- helpers ----

    /// <summary>A public IP "{name}-ip" and a load balancer "{name}" on it (frontend, pool, probe, rule), both Succeeded.</summary>
    private async Task<string> PublicLoadBalancer(string name)
    {
        var ipId = _arm.PublicIpId($"{name}-ip");
        await _raw.PutAndWait(ipId, ArmBodies.PublicIp(_arm));
        var lbId = _arm.LoadBalancerId(name);
        await _raw.PutAndWait(lbId, ArmBodies.LoadBalancer(_arm, name, ipId));
        return lbId;
    }

    private static async Task<JsonObject> CreateWithSdk(ArmClient client, string id, JsonObject body)
    {
        var sku = body["sku"]?.AsObject();
        var data = Data(body["properties"]!.AsObject(), sku);
        foreach (var (key, value) in body["tags"]?.AsObject() ?? []) data.Tags[key] = value!.GetValue<string>();
        var operation = await client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Started, new ResourceIdentifier(id), data);
        var resource = await SdkArm.WaitAsync(operation);
        return new JsonObject { ["properties"] = JsonNode.Parse(resource.Data.Properties.ToString()) };
    }

    private static GenericResourceData Data(JsonObject properties, JsonObject? sku) => new(new AzureLocation("eastus"))
    {
        Sku = sku is null ? null : new ResourcesSku { Name = sku["name"]!.GetValue<string>(), Tier = sku["tier"]?.GetValue<string>() },
        Properties = BinaryData.FromString(properties.ToJsonString()),
    };

    private static JsonObject Properties(JsonObject resource) => resource["properties"]!.AsObject();

    /// <summary>Children as JSON text without the etag and provisioning state they share with their load balancer.</summary>
    private static string WithoutState(JsonNode children)
    {
        var copy = children.DeepClone().AsArray();
        foreach (var child in copy.OfType<JsonObject>())
        {
            child.Remove("etag");
            child["properties"]!.AsObject().Remove("provisioningState");
        }
        return copy.ToJsonString();
    }
}
