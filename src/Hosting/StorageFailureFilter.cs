using FleetL4.Models;

namespace FleetL4.Hosting;

/// <summary>
/// A grain whose storage write failed has changed its state in memory but not in storage. This filter deactivates it,
/// so its next call reloads what is stored, and tells the caller "storage unavailable" in words (the Azure SDK's
/// exceptions are long and do not say that nothing was stored).
/// </summary>
internal sealed class StorageFailureFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (StorageFailures.Find(ex) is { } failure)
        {
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "grain storage failed"));
            var answer = failure.Status == 0 ? "no answer" : $"{failure.Status} {failure.ErrorCode}";
            throw new StorageUnavailableException($"the hub's storage is unavailable; the change was not stored, retry it ({answer}: {StorageFailures.FirstLine(failure.Message)})");
        }
    }
}
