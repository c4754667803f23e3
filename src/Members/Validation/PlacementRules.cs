using FleetL4.Models;
namespace FleetL4.Members.Validation;
// TEMPORARY until the rules branch merges.
public static class PlacementRules { public static PlacementSpec Parse(ManifestObject crp) => throw new NotImplementedException(); }
