using System.Net;
using System.Runtime.InteropServices;
using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Local;
using FleetL4.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancerBench;

/// <summary>FleetL4's local load balancer (<see cref="LocalLoadBalancerProvider"/>, shipped option defaults) as a process of its own.</summary>
public static class BenchBalancer
{
    public static async Task<int> RunAsync(string address, int port, int backendPort, string[] backends)
    {
        var stop = new TaskCompletionSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // exit through the normal path below, which closes the listeners
            stop.TrySetResult();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        var octets = address.Split('.');
        using var provider = new LocalLoadBalancerProvider(
            Options.Create(new LoadBalancingOptions { FrontendPool = $"{octets[0]}.{octets[1]}.{octets[2]}.0/24" }),
            Options.Create(new LocalLoadBalancerOptions()),
            NullLogger<LocalLoadBalancerProvider>.Instance, TimeProvider.System);
        var ip = await provider.EnsureAsync(new LoadBalancerSpec("bench/default/lb", address, false,
            [new FrontendPort(port, "TCP", backendPort)],
            backends.Select((b, i) => new Backend($"cluster-{i % 2}", IPAddress.Parse(b).ToString())).ToArray(), "None"), CancellationToken.None);
        Console.WriteLine($"READY frontend={ip}:{port}");
        await stop.Task;
        return 0;
    }
}
