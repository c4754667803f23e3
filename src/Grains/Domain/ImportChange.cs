using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>What one export update did to its import: backends in and out, whether the spec changed, and the
/// clusters (other than the updated one) whose conflict verdict changed.</summary>
public sealed record ImportChange(
    IReadOnlyList<Backend> Added,
    IReadOnlyList<Backend> Removed,
    bool InfoChanged,
    IReadOnlyDictionary<string, ConflictVerdict> VerdictChanges)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && !InfoChanged;
}
