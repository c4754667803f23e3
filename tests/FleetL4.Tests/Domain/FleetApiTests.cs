using FleetL4.Models;

namespace FleetL4.Tests.Domain;

/// <summary>apiVersion is "group/version", except the core group's, which is the bare version: joined and split in one place.</summary>
public class FleetApiTests
{
    [Theory]
    [InlineData("", "v1", "v1")]
    [InlineData("apps", "v1", "apps/v1")]
    [InlineData("networking.fleet.azure.com", "v1beta1", "networking.fleet.azure.com/v1beta1")]
    public void An_apiVersion_joins_its_group_and_version_and_splits_back(string group, string version, string apiVersion)
    {
        Assert.Equal(apiVersion, FleetApi.ApiVersion(group, version));
        Assert.Equal(group, FleetApi.GroupOf(apiVersion));
        Assert.Equal(version, FleetApi.VersionOf(apiVersion));

        var id = ResourceId.Of(new ManifestObject(apiVersion, "Thing", null, "a", "{}"));
        Assert.Equal((group, version, apiVersion), (id.Group, id.Version, id.ApiVersion));
    }

    [Fact]
    public void The_objects_FleetL4_writes_carry_the_versions_Fleet_stores()
    {
        Assert.Equal("networking.fleet.azure.com/v1beta1", FleetApi.ServiceExportApiVersion);
        Assert.Equal("networking.fleet.azure.com/v1alpha1", FleetApi.ServiceImportApiVersion);
        Assert.Equal("networking.fleet.azure.com/v1alpha1", FleetApi.MultiClusterServiceApiVersion);
        Assert.Equal("discovery.k8s.io/v1", FleetApi.DiscoveryV1);
    }
}
