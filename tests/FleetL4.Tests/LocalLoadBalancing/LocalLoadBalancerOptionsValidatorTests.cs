using FleetL4.LoadBalancing.Local;

namespace FleetL4.Tests.LocalLoadBalancing;

public sealed class LocalLoadBalancerOptionsValidatorTests
{
    private static IEnumerable<string> Failures(Action<LocalLoadBalancerOptions> change)
    {
        var options = new LocalLoadBalancerOptions();
        change(options);
        return new LocalLoadBalancerOptionsValidator().Validate(null, options).Failures ?? [];
    }

    [Fact]
    public void The_defaults_and_an_HTTP_probe_with_a_query_pass()
    {
        Assert.Empty(Failures(_ => { }));
        Assert.Empty(Failures(o => (o.ProbeProtocol, o.ProbePath) = (ProbeProtocol.Http, "/healthz?ready=1")));
        Assert.Empty(Failures(o => o.PassiveFailures = 0));
        Assert.Empty(Failures(o => o.PassiveEjection = TimeSpan.FromMinutes(5)));
    }

    public static TheoryData<string, Action<LocalLoadBalancerOptions>, string> Bad => new()
    {
        { "timeout zero", o => o.PassiveTimeout = TimeSpan.Zero, "FleetL4:LocalLoadBalancer:PassiveTimeout: 00:00:00 must be greater than zero" },
        { "ejection zero", o => o.PassiveEjection = TimeSpan.Zero, "FleetL4:LocalLoadBalancer:PassiveEjection: 00:00:00 must be greater than zero" },
        { "ejection too long", o => o.PassiveEjection = TimeSpan.FromMinutes(6), "FleetL4:LocalLoadBalancer:PassiveEjection: 00:06:00 must be at most 00:05:00" },
        { "failures negative", o => o.PassiveFailures = -1, "FleetL4:LocalLoadBalancer:PassiveFailures: -1 must be from 0 (off) to 100" },
        { "failures too many", o => o.PassiveFailures = 101, "FleetL4:LocalLoadBalancer:PassiveFailures: 101 must be from 0 (off) to 100" },
        { "protocol unknown", o => o.ProbeProtocol = (ProbeProtocol)7, "FleetL4:LocalLoadBalancer:ProbeProtocol: 7 must be Tcp or Http" },
        { "path relative", o => o.ProbePath = "healthz", "FleetL4:LocalLoadBalancer:ProbePath: 'healthz' must start with '/'" },
        { "path empty", o => o.ProbePath = "", "FleetL4:LocalLoadBalancer:ProbePath: empty; it must start with '/'" },
        { "path space", o => o.ProbePath = "/a b", "FleetL4:LocalLoadBalancer:ProbePath: character 2 (U+0020) is not printable ASCII; percent-encode it" },
        { "path newline", o => o.ProbePath = "/a\r\nHost: x", "FleetL4:LocalLoadBalancer:ProbePath: character 2 (U+000D) is not printable ASCII; percent-encode it" },
        { "path fragment", o => o.ProbePath = "/a#b", "FleetL4:LocalLoadBalancer:ProbePath: '/a#b' must not have a fragment" },
        { "path long", o => o.ProbePath = "/" + new string('a', 1024), "FleetL4:LocalLoadBalancer:ProbePath: 1025 characters; at most 1024" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void A_bad_health_setting_is_named(string what, Action<LocalLoadBalancerOptions> change, string message)
    {
        Assert.NotNull(what);
        Assert.Equal([message], Failures(change));
    }
}
