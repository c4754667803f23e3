namespace FleetL4.Tests.Cli;

/// <summary>
/// `fleetl4 agent` refuses timings and budgets that cannot work, as the real process: exit 1 and one line naming the
/// flag, before it reads the kubeconfig (a missing one here) or dials the hub.
/// </summary>
public sealed class AgentFlagsTests
{
    [Theory]
    [InlineData("--lease-duration", "--lease-duration 00:00:00: must be above 0", "--lease-duration", "0")]
    [InlineData("--renew-deadline", "--renew-deadline -00:00:01: must be above 0", "--renew-deadline", "-00:00:01")]
    [InlineData("--retry-period", "--retry-period 00:00:00: must be above 0", "--retry-period", "00:00:00")]
    [InlineData("--api-outage-bound", "--api-outage-bound -00:05:00: must be above 0", "--api-outage-bound", "-00:05:00")]
    [InlineData("--renew-deadline", "--renew-deadline 00:00:10: must be less than --lease-duration (00:00:10)", "--renew-deadline", "00:00:10")]
    [InlineData("--renew-deadline", "--renew-deadline 00:00:12: must be less than --lease-duration (00:00:10)", "--renew-deadline", "00:00:12")]
    [InlineData("--retry-period", "--retry-period 00:00:07: must be less than --renew-deadline (00:00:07)", "--retry-period", "00:00:07")]
    [InlineData("--retry-period", "--retry-period 00:00:05: must be less than --renew-deadline (00:00:04)",
        "--lease-duration", "00:00:06", "--renew-deadline", "00:00:04", "--retry-period", "00:00:05")]
    [InlineData("--qps", "--qps 0: must be above 0", "--qps", "0")]
    [InlineData("--burst", "--burst -1: must be above 0", "--burst", "-1")]
    public async Task A_timing_or_budget_that_cannot_work_exits_1_naming_the_flag_before_the_agent_starts(string flag, string expected, params string[] flags)
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"fleetl4-no-such-kubeconfig-{Guid.NewGuid():N}");
        var result = await CliRunner.Run("http://127.0.0.1:9", null,
            ["agent", "--kubeconfig", kubeconfig, "--cluster", "flags", "--leader-elect", .. flags]);

        Assert.True(result.ExitCode == 1, $"{flag}: {result}");
        Assert.Equal($"error: {expected}", result.Stderr.TrimEnd());
        Assert.Equal("", result.Stdout);
    }
}
