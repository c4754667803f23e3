using System.Net;
using FleetL4.LoadBalancing.Local;
using Microsoft.Extensions.Time.Testing;

namespace FleetL4.Tests.LocalLoadBalancing;

/// <summary>The rules that move a backend in and out of rotation, and the pool that applies them.</summary>
public sealed class BackendHealthTests
{
    private static readonly TimeSpan Ejection = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan T0 = TimeSpan.FromMinutes(1);

    private static BackendHealth Traffic(BackendHealth h, bool ok, TimeSpan now, bool mayEject = true) =>
        h.AfterTraffic(ok, now, failuresToEject: 2, Ejection, mayEject);

    [Theory]
    // failures in a row before a success, then failures after it: ejected?
    [InlineData(1, 0, false)]
    [InlineData(2, 0, true)]
    [InlineData(1, 1, false)] // a success in between starts the count again
    [InlineData(5, 0, true)]
    public void Consecutive_failed_connections_eject(int failures, int afterSuccess, bool ejected)
    {
        var h = default(BackendHealth);
        for (var i = 0; i < failures && !h.IsEjected; i++) h = Traffic(h, false, T0);
        if (afterSuccess > 0 && !h.IsEjected)
        {
            h = Traffic(h, true, T0);
            for (var i = 0; i < afterSuccess; i++) h = Traffic(h, false, T0);
        }
        Assert.Equal(ejected, h.IsEjected);
        Assert.Equal(!ejected, h.InRotation(probeThreshold: 2));
    }

    [Fact]
    public void An_ejected_backend_returns_only_on_a_probe_success_after_its_period()
    {
        var h = Traffic(Traffic(default, false, T0), false, T0);
        Assert.Equal(T0 + Ejection, h.EjectedUntil);
        Assert.True(h.AfterProbe(true, T0 + Ejection - TimeSpan.FromTicks(1)).IsEjected); // the TCP probe passes a frozen backend: not yet
        Assert.True(h.AfterProbe(false, T0 + Ejection).IsEjected); // the period is over, but the probe fails
        Assert.True(h.AfterProbe(true, T0 + Ejection).InRotation(2));
    }

    [Fact]
    public void Each_ejection_in_a_row_lasts_longer_up_to_five_minutes_and_an_answer_resets_it()
    {
        var h = default(BackendHealth);
        var now = T0;
        var periods = new List<TimeSpan>();
        for (var round = 0; round < 40; round++)
        {
            h = Traffic(Traffic(h, false, now), false, now);
            periods.Add(h.EjectedUntil!.Value - now);
            now = h.EjectedUntil.Value;
            h = h.AfterProbe(true, now);
        }
        Assert.Equal([Ejection, Ejection * 2, Ejection * 3], periods.Take(3));
        Assert.Equal(BackendHealth.MaxEjection, periods[^1]);

        h = Traffic(h, true, now);
        h = Traffic(Traffic(h, false, now), false, now);
        Assert.Equal(now + Ejection, h.EjectedUntil);
    }

    [Fact]
    public void The_last_backend_in_rotation_is_never_ejected_and_failures_while_ejected_change_nothing()
    {
        var last = Traffic(Traffic(default, false, T0, mayEject: false), false, T0, mayEject: false);
        Assert.False(last.IsEjected);
        Assert.Equal(2, last.PassiveFailures);

        var ejected = Traffic(Traffic(default, false, T0), false, T0);
        Assert.Equal(ejected, Traffic(ejected, false, T0 + TimeSpan.FromSeconds(5)));
        Assert.Equal(ejected, ejected.AfterTraffic(false, T0, failuresToEject: 0, Ejection, mayEject: true));
        Assert.False(default(BackendHealth).AfterTraffic(false, T0, failuresToEject: 0, Ejection, mayEject: true).IsEjected); // off
    }

    [Fact]
    public void Probe_failures_and_passive_ejection_each_take_a_backend_out()
    {
        var h = default(BackendHealth).AfterProbe(false, T0);
        Assert.True(h.InRotation(2));
        h = h.AfterProbe(false, T0);
        Assert.False(h.InRotation(2));
        Assert.True(h.AfterProbe(true, T0).InRotation(2));
    }

    [Fact]
    public void The_pool_ejects_after_failed_connections_keeps_the_last_backend_and_readmits_on_a_probe_after_the_period()
    {
        var clock = new FakeTimeProvider();
        var pool = new BackendPool { PassiveFailures = 2, PassiveEjection = Ejection, Clock = clock };
        IPAddress a = IPAddress.Parse("127.0.0.1"), b = IPAddress.Parse("127.0.0.2");
        pool.Set([a, b]);
        Assert.False(pool.ReportTraffic(a, success: false));
        Assert.True(pool.ReportTraffic(a, success: false));
        Assert.Equal([b], pool.Healthy);

        // b is the last one left: failing, it stays (the probe alone can take it out).
        pool.ReportTraffic(b, success: false);
        Assert.False(pool.ReportTraffic(b, success: false));
        Assert.Equal([b], pool.Healthy);

        Assert.False(pool.Report(a, success: true));
        clock.Advance(Ejection);
        Assert.True(pool.Report(a, success: true));
        Assert.Equal([a, b], pool.Healthy);
        Assert.False(pool.IsEjected(a));
    }

    [Fact]
    public void A_pool_with_passive_health_off_ignores_traffic()
    {
        var pool = new BackendPool { PassiveFailures = 0 };
        var a = IPAddress.Parse("127.0.0.1");
        pool.Set([a, IPAddress.Parse("127.0.0.2")]);
        for (var i = 0; i < 10; i++) Assert.False(pool.ReportTraffic(a, success: false));
        Assert.Equal(2, pool.Healthy.Length);
    }

    [Theory]
    [InlineData(199, false)]
    [InlineData(200, true)]
    [InlineData(302, true)]
    [InlineData(399, true)]
    [InlineData(400, false)]
    [InlineData(503, false)]
    public void An_HTTP_probe_passes_on_200_to_399(int status, bool healthy) =>
        Assert.Equal(healthy, HealthProber.IsHealthyStatus(status));
}
