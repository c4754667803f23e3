namespace FleetL4.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes (no sleeps as synchronisation).</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        T last;
        while (true)
        {
            last = await read();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}; last value: {Describe(last)}");
            await Task.Delay(20);
        }
    }

    public static Task True(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Get(() => Task.FromResult(condition()), ok => ok, what, timeout);

    private static string Describe<T>(T value) => value?.ToString() ?? "null";
}
