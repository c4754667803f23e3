namespace FleetL4.Domain;

/// <summary>Booleans in annotations, read as Fleet reads them (Go's strconv.ParseBool).</summary>
public static class FleetBool
{
    public static bool TryParse(string? text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True": value = true; return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False": value = false; return true;
            default: value = false; return false;
        }
    }
}
