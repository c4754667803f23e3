namespace FleetL4.Hosting.Demo;

/// <summary>An address the demo needs is held by another program: says which, the likely culprit, and the key that moves it.</summary>
public sealed class AddressTakenException(string what, string endpoint, string reason, string key, string example)
    : Exception($"{what} {endpoint} is taken ({reason}); is another FleetL4 demo running? Stop it, or set {key} to another block of 127.0.0.0/8, e.g. --{key}={example}");
