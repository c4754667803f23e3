namespace FleetL4.Client.Output;

/// <summary>kubectl's AGE column: 25s, 5m, 3h12m, 2d.</summary>
public static class Age
{
    public static string Since(DateTimeOffset time, DateTimeOffset now)
    {
        if (time == default) return "<unknown>";
        var age = now - time;
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        if (age.TotalSeconds < 120) return $"{(int)age.TotalSeconds}s";
        if (age.TotalMinutes < 10) return $"{(int)age.TotalMinutes}m{age.Seconds}s";
        if (age.TotalHours < 3) return $"{(int)age.TotalMinutes}m";
        if (age.TotalHours < 8) return $"{(int)age.TotalHours}h{age.Minutes}m";
        if (age.TotalDays < 2) return $"{(int)age.TotalHours}h";
        if (age.TotalDays < 8) return $"{(int)age.TotalDays}d{age.Hours}h";
        return $"{(int)age.TotalDays}d";
    }
}
