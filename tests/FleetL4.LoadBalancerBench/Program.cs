using FleetL4.LoadBalancerBench;

// The processes of run.sh's comparison, one role per process so the balancer under test never shares a runtime
// with the backends:
//   backend ADDRESS PORT                               an HTTP backend (PORT 0: the system picks; printed)
//   balancer ADDRESS PORT BACKEND-PORT BACKEND-ADDRESS... FleetL4's local load balancer with shipped defaults
// Each prints one READY line and runs until SIGTERM or SIGINT.
return args switch
{
    ["backend", var address, var port] => await BenchBackend.RunAsync(address, int.Parse(port)),
    ["balancer", var address, var port, var backendPort, .. var backends] when backends.Length > 0 =>
        await BenchBalancer.RunAsync(address, int.Parse(port), int.Parse(backendPort), backends),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: FleetL4.LoadBalancerBench backend ADDRESS PORT | balancer ADDRESS PORT BACKEND-PORT BACKEND-ADDRESS...");
    return 2;
}
