namespace FleetL4;

/// <summary>Names the host must register grain storage under.</summary>
public static class StorageNames
{
    public const string Fleet = "fleet";
}
