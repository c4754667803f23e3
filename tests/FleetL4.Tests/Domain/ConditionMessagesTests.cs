using FleetL4.Domain;

namespace FleetL4.Tests.Domain;

/// <summary>
/// Our condition messages beside Azure Fleet's (Azure/fleet-networking: pkg/controllers/member/serviceexport,
/// pkg/common/condition, pkg/controllers/multiclusterservice). Where Fleet has a text, ours is Fleet's, or starts
/// with it and adds what Fleet leaves out.
/// </summary>
public sealed class ConditionMessagesTests
{
    private static readonly NamespacedName Kuard = new("kuard-demo", "kuard");

    public static TheoryData<string, string, string> Rows => new()
    {
        { "export valid", "service kuard-demo/kuard is valid for export", ConditionMessages.ServiceValid(Kuard) },
        { "export weight 0", "exported service kuard-demo/kuard with 0 weight", ConditionMessages.ServiceWeightZero(Kuard) },
        { "service missing", "service kuard-demo/kuard is not found", ConditionMessages.ServiceNotFound(Kuard) },
        { "service ineligible", "service kuard-demo/kuard is not eligible for export", ConditionMessages.ServiceIneligible(Kuard, "it is headless (clusterIP: None)") },
        { "bad weight", "serviceExport kuard-demo/kuard has an invalid weight annotation, err = the weight annotation is not a valid integer: x",
            ConditionMessages.InvalidWeight(Kuard, "the weight annotation is not a valid integer: x", stillServing: true) },
        { "conflict pending", "service kuard-demo/kuard is pending export conflict resolution", ConditionMessages.PendingConflictResolution(Kuard) },
        { "no conflict", "service kuard-demo/kuard is exported without conflict", ConditionMessages.NoConflict(Kuard) },
        { "conflict, losing export", "service kuard-demo/kuard is in conflict with other exported services",
            ConditionMessages.ConflictWithOldest(Kuard, "aks-member-1", "ports", "9090/TCP vs 8080/TCP") },
        { "conflict, winning export", "service kuard-demo/kuard is in conflict with other exported services",
            ConditionMessages.ConflictAsOldest(Kuard, ["aks-member-2"], ["ports"]) },
        { "MCS found import", "found valid service import", ConditionMessages.FoundServiceImport(Kuard, ["aks-member-1", "aks-member-2"]) },
        { "MCS import not exported", "importing service; if the condition remains for a while, please verify that service has been exported or service has been exported by other multiClusterService",
            ConditionMessages.UnknownServiceImport(Kuard) },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Our_message_starts_with_Fleets(string situation, string fleet, string ours)
    {
        Assert.True(ours.StartsWith(fleet, StringComparison.Ordinal), $"{situation}: \"{ours}\" does not start with Fleet's \"{fleet}\"");
    }

    [Fact]
    public void Where_we_add_something_it_is_the_winner_and_the_field()
    {
        Assert.Equal("service kuard-demo/kuard is in conflict with other exported services: its ports differ from the oldest export, "
            + "in cluster \"aks-member-1\" (9090/TCP vs 8080/TCP); this export is not in use",
            ConditionMessages.ConflictWithOldest(Kuard, "aks-member-1", "ports", "9090/TCP vs 8080/TCP"));
        Assert.Equal("found valid service import kuard-demo/kuard (exported by aks-member-1, aks-member-2)",
            ConditionMessages.FoundServiceImport(Kuard, ["aks-member-1", "aks-member-2"]));
        Assert.Equal("service kuard-demo/kuard is not eligible for export: it is of type ExternalName",
            ConditionMessages.ServiceIneligible(Kuard, "it is of type ExternalName"));
    }
}
