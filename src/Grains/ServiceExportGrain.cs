using Microsoft.Extensions.DependencyInjection;
using FleetL4.Runtime;
using FleetL4.Domain;
using FleetL4.Models;
using FleetL4.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetL4;

/// <summary>
/// One ServiceExport of one member. Decides Valid itself; sends what it contributes to the ServiceImport and
/// shows the Conflict verdict the import returns (or later pushes one-way: the import never awaits an export,
/// so the two cannot deadlock). A reminder exists only while a push to the import is outstanding.
/// </summary>
public sealed class ServiceExportGrain(
    [PersistentState("export", StorageNames.Fleet)] IPersistentState<ServiceExportState> state,
    IOptions<FleetOptions> options,
    [FromKeyedServices(GrainClock.Key)] TimeProvider clock,
    ILogger<ServiceExportGrain> logger) : Grain, IServiceExportGrain, IRemindable, IIncomingGrainCallFilter
{
    private const string PushReminder = "push";
    private readonly FleetOptions _options = options.Value;
    private bool _dirty;
    private bool _pushPending;
    private IGrainTimer? _writeBehind;
    private readonly StatusNotifier _status = new(StatusKind.ServiceExport);

    private ClusterNamespacedName? _key;

    private ClusterNamespacedName Key => _key ??= ClusterNamespacedName.Parse(this.GetPrimaryKeyString());

    private string Cluster => Key.Cluster;

    private IServiceImportGrain Import => GrainFactory.GetGrain<IServiceImportGrain>(GrainKeys.Import(Key.Object));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _status.Baseline(state.State.Report is not null, state.State.Conditions);
        // A verdict sent while this export's silo was going away is lost: ask again (one-way, so never a wait cycle).
        if (state.State.InImport && state.State.Report is not null) _ = Import.ResendVerdict(Cluster);
        if (state.State.EndpointsUnsaved && state.State.Report is not null)
        {
            // The last activation died holding endpoint changes it had acknowledged: the member has them, ask for them.
            _ = GrainFactory.GetGrain<IMemberClusterGrain>(Cluster).OnStatusChanged(new StatusChange(StatusKind.ResendServiceExport, Key.Object));
        }
        return Task.CompletedTask;
    }

    /// <summary>After every call: if the status the member shows changed, its cluster's status watchers hear of it.</summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        _status.Observe(GrainFactory, Key, state.State.Report is not null, state.State.Conditions);
    }

    public async Task<ServiceExportView> Report(ServiceExportReport report)
    {
        // Normalized by the member cluster grain, the one way in.
        var old = state.State.Report;
        if (new NamespacedName(report.Namespace, report.Name) != Key.Object)
            throw new FleetValidationException("metadata.name", $"report for {report.Namespace}/{report.Name} sent to export {Key.Object}");
        if (old is not null && report.Revision != 0 && report.Revision < old.Revision)
            return View(); // Older than what we have: a late message after a reconnect.
        if (old is not null && SameReport(old, report) && !_pushPending)
            return View();

        var validity = ExportValidation.Validity(report, state.State.LastGoodWeight);
        var onlyEndpointsChanged = old is not null && SameReport(old with { Endpoints = report.Endpoints, Revision = report.Revision }, report)
                                   && state.State.Valid == validity.Valid && state.State.Weight == validity.Weight;
        state.State.Report = report;
        state.State.Valid = validity.Valid;
        state.State.Weight = validity.Weight;
        // A bad weight annotation keeps the last good weight; anything else that stops the export forgets it.
        if (validity.Valid || validity.Weight is null) state.State.LastGoodWeight = validity.Weight;
        SetCondition(ConditionTypes.Valid, validity.Valid ? ConditionStatuses.True : ConditionStatuses.False, validity.Reason, validity.Message);
        await Push();
        if (onlyEndpointsChanged) await WriteBehind();
        else await Persist();
        return View();
    }

    public async Task Remove()
    {
        var report = state.State.Report;
        if (report is null) return;
        await Import.RemoveExport(Cluster); // idempotent: also when a first push timed out after it landed
        _writeBehind?.Dispose();
        _dirty = false;
        await state.ClearStateAsync();
        var reminder = await this.GetReminder(PushReminder);
        if (reminder is not null) await this.UnregisterReminder(reminder);
        DeactivateOnIdle();
    }

    public async Task SetClusterLive(bool live)
    {
        if (state.State.ClusterLive == live) return;
        state.State.ClusterLive = live;
        if (state.State.Report is not null) await Push();
        await Persist();
    }

    public Task<ServiceExportView> Get() => Task.FromResult(View());

    public Task<ExportContribution?> GetContribution() => Task.FromResult(Contribution());

    public async Task OnVerdict(ConflictVerdict verdict)
    {
        if (verdict.Epoch < state.State.VerdictEpoch || !state.State.InImport) return;
        if (ApplyVerdict(verdict)) await Persist();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // The reminder exists only while a push is outstanding (possibly from before a silo loss): push again.
        if (state.State.Report is not null)
        {
            await Push();
            if (!_pushPending) await Persist();
        }
        if (!_pushPending)
        {
            var reminder = await this.GetReminder(PushReminder);
            if (reminder is not null) await this.UnregisterReminder(reminder);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Written-behind endpoints are saved when the grain is collected, not while the silo shuts down: storage
        // may already be gone then (memory storage is); the stored marker makes the next activation ask the member.
        if ((_dirty || state.State.EndpointsUnsaved) && state.State.Report is not null && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            state.State.EndpointsUnsaved = false; // a clean end: what is stored is all there is
            await state.WriteStateAsync(cancellationToken);
        }
    }

    private ExportContribution? Contribution()
    {
        var report = state.State.Report;
        // Weight 0 takes no part at all (Fleet deletes the internal export): no cluster, no conflict resolution.
        if (report?.Service is null || state.State.Weight is not > 0) return null;
        return new ExportContribution(Cluster, report.CreationTimestamp, report.Service,
            EndpointSelection.Backends(report.Endpoints), state.State.ClusterLive);
    }

    /// <summary>Sends the current contribution (or its withdrawal) to the import; on failure the reminder retries.</summary>
    private async Task Push()
    {
        var report = state.State.Report!;
        var contribution = Contribution();
        try
        {
            if (contribution is not null)
            {
                var verdict = await Import.UpsertExport(contribution);
                state.State.InImport = true;
                ApplyVerdict(verdict);
            }
            else
            {
                // Taking no part in conflict resolution, the export shows no Conflict condition (IS-CONFLICTED blank).
                state.State.Conditions = ConditionSet.Remove(state.State.Conditions, ConditionTypes.Conflict).ToList();
                if (state.State.InImport) await Import.RemoveExport(Cluster);
                state.State.InImport = false;
            }
            _pushPending = false;
        }
        catch (Exception ex) when (ex is not FleetValidationException)
        {
            _pushPending = true;
            if (contribution is not null)
                SetCondition(ConditionTypes.Conflict, ConditionStatuses.Unknown, ConditionReasons.ServicePendingConflictResolution,
                    ConditionMessages.PendingConflictResolution(Key.Object));
            logger.LogWarning(ex, "Export {Export} could not reach its import; the reminder retries", this.GetPrimaryKeyString());
            await this.RegisterOrUpdateReminder(PushReminder, _options.ReminderPeriod, _options.ReminderPeriod);
        }
    }

    private bool ApplyVerdict(ConflictVerdict verdict)
    {
        if (verdict.Epoch < state.State.VerdictEpoch) return false;
        state.State.VerdictEpoch = verdict.Epoch;
        var before = state.State.Conditions;
        SetCondition(ConditionTypes.Conflict,
            verdict.Conflict ? ConditionStatuses.True : ConditionStatuses.False,
            verdict.Conflict ? ConditionReasons.ConflictFound : ConditionReasons.NoConflictFound,
            verdict.Message);
        return !ReferenceEquals(before, state.State.Conditions);
    }

    private async Task Persist()
    {
        _writeBehind?.Dispose();
        _writeBehind = null;
        _dirty = false;
        await state.WriteStateAsync();
    }

    /// <summary>Holds an endpoint change in memory until the window ends. The first of an activation is written at
    /// once with the marker, before the member hears "done": a silo that dies holding changes loses none for good.</summary>
    private async Task WriteBehind()
    {
        _dirty = true;
        if (!state.State.EndpointsUnsaved)
        {
            state.State.EndpointsUnsaved = true;
            await Persist();
            return;
        }
        if (_writeBehind is not null) return;
        _writeBehind = this.RegisterGrainTimer(async _ =>
        {
            _writeBehind?.Dispose();
            _writeBehind = null;
            if (_dirty) await Persist();
        }, new GrainTimerCreationOptions(WriteBehindDue(), Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    /// <summary>The window plus up to half of it at random: exports that changed in the same second (a load, a
    /// resync) would otherwise all write in the same second every window (measured: 3,053 writes in one second).</summary>
    private TimeSpan WriteBehindDue() => _options.EndpointWriteBehind * (1 + Random.Shared.NextDouble() / 2);

    private void SetCondition(string type, string status, string reason, string message)
    {
        var set = ConditionSet.Set(state.State.Conditions, type, status, reason, message, state.State.Report?.Generation ?? 0, clock.GetUtcNow());
        // The same list when nothing changed, so a repeated verdict is not written again.
        if (!ReferenceEquals(set, state.State.Conditions)) state.State.Conditions = [.. set];
    }

    private ServiceExportView View()
    {
        var report = state.State.Report;
        return new ServiceExportView(Key.Cluster, Key.Namespace, Key.Name, report is not null,
            report?.CreationTimestamp ?? default, report?.Service, report?.Endpoints ?? [], state.State.Weight ?? 0,
            state.State.Conditions.ToArray());
    }

    private static bool SameReport(ServiceExportReport a, ServiceExportReport b) =>
        a.Namespace == b.Namespace && a.Name == b.Name && a.CreationTimestamp == b.CreationTimestamp &&
        a.Generation == b.Generation && a.WeightAnnotation == b.WeightAnnotation &&
        ServiceEquality.Same(a.Service, b.Service) && a.Endpoints.SequenceEqual(b.Endpoints);
}
