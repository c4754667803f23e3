namespace FleetL4.Models;

/// <summary>Bad input: names the offending field; nothing was changed.</summary>
[GenerateSerializer, Alias("fleetl4.FleetValidationException")]
public sealed class FleetValidationException : Exception
{
    public FleetValidationException(string field, string detail) : base($"{field}: {detail}")
    {
        Field = field;
        Detail = detail;
    }

    [Id(0)] public string Field { get; }

    /// <summary>What is wrong with the field, without the field's name.</summary>
    [Id(1)] public string Detail { get; }

    /// <summary>The same error, located in a document of a manifest file.</summary>
    public FleetValidationException In(string location) => new(Field, $"{location}: {Detail}");
}
