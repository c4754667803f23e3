namespace FleetL4.Models;

/// <summary>Bad input: names the offending field; nothing was changed.</summary>
[GenerateSerializer, Alias("fleetl4.FleetValidationException")]
public sealed class FleetValidationException : Exception
{
    public FleetValidationException(string field, string message) : base($"{field}: {message}") => Field = field;

    [Id(0)] public string Field { get; }
}
