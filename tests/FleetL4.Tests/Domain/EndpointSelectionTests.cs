using FleetL4.Domain;
using FleetL4.Models;
using Xunit;

namespace FleetL4.Tests.Domain;

public class EndpointSelectionTests
{
    [Theory]
    // ready, serving, terminating, takes traffic
    [InlineData(true, true, false, true)]     // ready
    [InlineData(false, false, false, false)]  // not ready, not serving
    [InlineData(false, true, true, true)]     // serving while terminating: drains
    [InlineData(false, false, true, false)]   // terminating and no longer serving: gone
    [InlineData(false, true, false, false)]   // serving but not ready and not terminating (cannot happen in EndpointSlice; not ready wins)
    public void TakesTraffic_follows_EndpointSlice_conditions(bool ready, bool serving, bool terminating, bool expected)
    {
        var e = new EndpointInfo("10.1.0.1", ready, serving, terminating);
        Assert.Equal(expected, EndpointSelection.TakesTraffic(e));
        Assert.Equal(expected ? ["10.1.0.1"] : Array.Empty<string>(), EndpointSelection.Backends([e]));
    }

    [Fact]
    public void Default_endpoint_is_ready()
    {
        Assert.True(EndpointSelection.TakesTraffic(new EndpointInfo("10.1.0.1")));
    }

    [Fact]
    public void Backends_keeps_report_order_and_filters()
    {
        EndpointInfo[] endpoints =
        [
            new("10.1.0.3"),
            new("10.1.0.1", Ready: false, Serving: false),
            new("10.1.0.2", Ready: false, Serving: true, Terminating: true),
            new("10.1.0.4", Ready: false, Serving: false, Terminating: true),
            new("fd00::5"),
        ];
        Assert.Equal(["10.1.0.3", "10.1.0.2", "fd00::5"], EndpointSelection.Backends(endpoints));
    }

    [Fact]
    public void Duplicates_are_removed()
    {
        EndpointInfo[] endpoints =
        [
            new("10.1.0.1"),
            new("10.1.0.2"),
            new("10.1.0.1", Zone: "eastus-2"),
            new("10.1.0.2", Ready: false, Serving: true, Terminating: true),
        ];
        Assert.Equal(["10.1.0.1", "10.1.0.2"], EndpointSelection.Backends(endpoints));
    }

    [Fact]
    public void A_duplicate_that_does_not_take_traffic_does_not_hide_one_that_does()
    {
        EndpointInfo[] endpoints =
        [
            new("10.1.0.1", Ready: false, Serving: false),
            new("10.1.0.1"),
        ];
        Assert.Equal(["10.1.0.1"], EndpointSelection.Backends(endpoints));
    }

    [Fact]
    public void No_endpoints_no_backends()
    {
        Assert.Empty(EndpointSelection.Backends([]));
    }
}
