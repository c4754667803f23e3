using FleetL4.Models;

namespace FleetL4.Cli;

/// <summary>The label arguments of `fleetl4 cluster label`, in kubectl's syntax: <c>key=value</c> sets, <c>key-</c> removes.</summary>
public static class LabelChanges
{
    public const string Argument = "LABELS";

    public static (Dictionary<string, string> Set, List<string> Remove) Parse(IEnumerable<string> arguments)
    {
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        var remove = new List<string>();
        foreach (var argument in arguments)
        {
            var eq = argument.IndexOf('=');
            if (eq > 0) set[argument[..eq]] = argument[(eq + 1)..];
            else if (eq < 0 && argument.Length > 1 && argument.EndsWith('-')) remove.Add(argument[..^1]);
            else throw new FleetValidationException(Argument, $"\"{argument}\" is neither key=value nor key- (to remove the label)");
        }
        // As kubectl: one command does not both set and remove a key.
        if (remove.FirstOrDefault(set.ContainsKey) is { } both)
            throw new FleetValidationException(Argument, $"\"{both}\" is both set and removed");
        return (set, remove);
    }
}
