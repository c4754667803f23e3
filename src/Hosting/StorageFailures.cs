namespace FleetL4.Hosting;

/// <summary>Finds the Azure Storage failure inside whatever Orleans and the SDK wrapped it in (AggregateException after
/// the SDK's retries, OrleansException around a table call).</summary>
public static class StorageFailures
{
    public static Azure.RequestFailedException? Find(Exception? ex) => ex switch
    {
        null => null,
        Azure.RequestFailedException failed => failed,
        AggregateException all => all.InnerExceptions.Select(Find).FirstOrDefault(f => f is not null),
        _ => Find(ex.InnerException),
    };

    /// <summary>The SDK's messages run to many lines (headers, content): the first says what happened.</summary>
    public static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
