using FleetL4.KubernetesWatch;
using FleetL4.Agent;
using FleetL4.Members.Resources;
using k8s.Models;

namespace FleetL4.Tests.Kubernetes;

/// <summary>Which watch events the agent need not report to the hub: its own status writes coming back.</summary>
public sealed class StatusOnlyChangeTests
{
    private static ServiceExportResource Export(long generation = 1, string? weight = null, string? label = null, DateTime? deleting = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "kuard", NamespaceProperty = "web", Uid = "u1", Generation = generation, DeletionTimestamp = deleting,
            Annotations = weight is null ? null : new Dictionary<string, string> { ["networking.fleet.azure.com/weight"] = weight },
            Labels = label is null ? null : new Dictionary<string, string> { ["team"] = label },
        },
    };

    private static WatchChange<ServiceExportResource> Change(ServiceExportResource? old, ServiceExportResource? @new) =>
        new(new NamespacedName("web", "kuard"), old, @new);

    [Fact]
    public void A_status_write_is_status_only_and_everything_else_is_not()
    {
        Assert.True(StatusOnlyChange.Is(Change(Export(), Export())));
        Assert.True(StatusOnlyChange.Is(Change(Export(weight: "2", label: "a"), Export(weight: "2", label: "a"))));
        Assert.False(StatusOnlyChange.Is(Change(Export(1), Export(2)))); // spec
        Assert.False(StatusOnlyChange.Is(Change(Export(), Export(weight: "0")))); // the weight annotation bumps no generation
        Assert.False(StatusOnlyChange.Is(Change(Export(weight: "1"), Export(weight: "2"))));
        Assert.False(StatusOnlyChange.Is(Change(Export(label: "a"), Export(label: "b"))));
        Assert.False(StatusOnlyChange.Is(Change(Export(), Export(deleting: DateTime.UtcNow))));
        Assert.False(StatusOnlyChange.Is(Change(null, Export()))); // created
        Assert.False(StatusOnlyChange.Is(Change(Export(), null))); // deleted
    }
}
