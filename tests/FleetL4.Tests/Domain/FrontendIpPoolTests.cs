using FleetL4.LoadBalancing;
using FleetL4.Models;
using Xunit;

namespace FleetL4.Tests.Domain;

public class FrontendIpPoolTests
{
    [Fact]
    public void Allocates_lowest_free_address_skipping_the_network_address()
    {
        var pool = new FrontendIpPool("10.20.0.0/24");
        Assert.Equal("10.20.0.1", pool.Allocate("mcs-a", null));
        Assert.Equal("10.20.0.2", pool.Allocate("mcs-b", null));
        Assert.Equal("10.20.0.3", pool.Allocate("mcs-c", null));
        Assert.Equal(3, pool.Allocated);
    }

    [Fact]
    public void Same_id_gets_the_same_address_again()
    {
        var pool = new FrontendIpPool("10.20.0.0/24");
        var first = pool.Allocate("mcs-a", null);
        pool.Allocate("mcs-b", null);
        Assert.Equal(first, pool.Allocate("mcs-a", null));
        Assert.Equal(first, pool.Allocate("mcs-a", "10.20.0.99")); // a held address beats a preference
        Assert.Equal(2, pool.Allocated);
    }

    [Fact]
    public void Ids_are_case_sensitive()
    {
        var pool = new FrontendIpPool("10.20.0.0/24");
        Assert.NotEqual(pool.Allocate("mcs-a", null), pool.Allocate("MCS-A", null));
    }

    [Fact]
    public void Preferred_address_is_honoured_when_free()
    {
        var pool = new FrontendIpPool("10.20.0.0/24");
        Assert.Equal("10.20.0.77", pool.Allocate("mcs-a", "10.20.0.77"));
        Assert.Equal("10.20.0.1", pool.Allocate("mcs-b", null));
    }

    [Theory]
    [InlineData("10.20.0.0")]     // network address
    [InlineData("10.20.0.255")]   // broadcast address
    [InlineData("10.21.0.5")]     // outside the block
    [InlineData("fd00::5")]
    [InlineData("not-an-ip")]
    [InlineData("")]
    public void Unusable_preference_falls_back_to_lowest_free(string preferred)
    {
        var pool = new FrontendIpPool("10.20.0.0/24");
        Assert.Equal("10.20.0.1", pool.Allocate("mcs-a", preferred));
    }

    [Fact]
    public void Preferred_address_held_by_another_id_is_not_taken()
    {
        var pool = new FrontendIpPool("10.20.0.0/24");
        pool.Allocate("mcs-a", "10.20.0.1");
        Assert.Equal("10.20.0.2", pool.Allocate("mcs-b", "10.20.0.1"));
        Assert.Equal("10.20.0.1", pool.Allocate("mcs-a", null));
    }

    [Fact]
    public void Release_frees_the_address()
    {
        var pool = new FrontendIpPool("10.20.0.0/24");
        pool.Allocate("mcs-a", null);
        pool.Allocate("mcs-b", null);
        pool.Release("mcs-a");
        Assert.Equal(1, pool.Allocated);
        Assert.Equal("10.20.0.1", pool.Allocate("mcs-c", null));
    }

    [Fact]
    public void Released_id_can_ask_for_its_old_address_back()
    {
        var pool = new FrontendIpPool("10.20.0.0/24");
        pool.Allocate("mcs-x", null);
        var old = pool.Allocate("mcs-a", null);
        pool.Release("mcs-a");
        pool.Release("mcs-x");
        Assert.Equal(old, pool.Allocate("mcs-a", old));
    }

    [Fact]
    public void Releasing_an_unknown_id_changes_nothing()
    {
        var pool = new FrontendIpPool("10.20.0.0/24");
        pool.Allocate("mcs-a", null);
        pool.Release("mcs-zzz");
        Assert.Equal(1, pool.Allocated);
        Assert.Equal("10.20.0.2", pool.Allocate("mcs-b", null));
    }

    [Fact]
    public void Exhaustion_throws_and_release_recovers()
    {
        var pool = new FrontendIpPool("192.168.255.252/30"); // .253 and .254 usable
        Assert.Equal("192.168.255.253", pool.Allocate("mcs-a", null));
        Assert.Equal("192.168.255.254", pool.Allocate("mcs-b", null));
        Assert.Throws<InvalidOperationException>(() => pool.Allocate("mcs-c", null));
        Assert.Throws<InvalidOperationException>(() => pool.Allocate("mcs-c", "192.168.255.253"));
        Assert.Equal(2, pool.Allocated);
        pool.Release("mcs-b");
        Assert.Equal("192.168.255.254", pool.Allocate("mcs-c", null));
    }

    [Fact]
    public void Never_hands_out_network_or_broadcast_address()
    {
        var pool = new FrontendIpPool("172.16.8.0/28");
        var addresses = Enumerable.Range(0, 14).Select(i => pool.Allocate($"mcs-{i}", null)).ToArray();
        Assert.Equal(Enumerable.Range(1, 14).Select(i => $"172.16.8.{i}"), addresses);
        Assert.Throws<InvalidOperationException>(() => pool.Allocate("mcs-15", null));
    }

    [Fact]
    public void Host_bits_in_the_cidr_are_ignored()
    {
        var pool = new FrontendIpPool("10.20.0.77/24");
        Assert.Equal("10.20.0.1", pool.Allocate("mcs-a", null));
    }

    [Fact]
    public void Addresses_above_128_0_0_0_are_handled()
    {
        var pool = new FrontendIpPool("200.1.2.0/24");
        Assert.Equal("200.1.2.1", pool.Allocate("mcs-a", null));
        Assert.Equal("200.1.2.200", pool.Allocate("mcs-b", "200.1.2.200"));
    }

    [Fact]
    public void Large_block_allocates_across_octets()
    {
        var pool = new FrontendIpPool("10.0.0.0/8");
        Assert.Equal("10.0.1.0", pool.Allocate("mcs-a", "10.0.1.0")); // not a network address in a /8
        Assert.Equal("10.255.255.254", pool.Allocate("mcs-b", "10.255.255.254"));
        Assert.Equal("10.0.0.1", pool.Allocate("mcs-c", "10.255.255.255"));
    }

    [Fact]
    public void Concurrent_allocations_get_distinct_addresses()
    {
        var pool = new FrontendIpPool("10.20.0.0/24");
        var results = new string[200];
        Parallel.For(0, results.Length, i => results[i] = pool.Allocate($"mcs-{i}", null));
        Assert.Equal(results.Length, results.Distinct().Count());
        Assert.Equal(results.Length, pool.Allocated);
        Assert.All(results, ip => Assert.StartsWith("10.20.0.", ip, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.20.0.0")]
    [InlineData("10.20.0.0/")]
    [InlineData("10.20.0.0/x")]
    [InlineData("10.20.0.0/24/1")]
    [InlineData("10.20.0.0/7")]
    [InlineData("10.20.0.0/31")]
    [InlineData("10.20.0.0/32")]
    [InlineData("10.20.0.0/-1")]
    [InlineData("fd00::/64")]
    [InlineData("not-an-ip/24")]
    [InlineData("10.20/16")]        // shorthand that IPAddress reads as 10.0.0.20, not 10.20.0.0
    [InlineData("167772160/8")]     // a bare integer is not a dotted quad
    public void Bad_cidr_throws_validation_error(string cidr)
    {
        var ex = Assert.Throws<FleetValidationException>(() => new FrontendIpPool(cidr));
        Assert.Equal("FleetL4:FrontendPool", ex.Field);
        Assert.Contains(cidr, ex.Message, StringComparison.Ordinal);
    }
}
