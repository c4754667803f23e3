using System.Collections.Concurrent;

namespace FleetL4.Tests.Infrastructure;

/// <summary>
/// An incoming grain call filter that loses chosen messages: the next N calls of one method on one grain either never
/// run (the request was lost) or run and their reply is lost. The caller sees what a lost message gives it, a
/// <see cref="TimeoutException"/> (a one-way message just vanishes). Every silo of a hub shares one instance.
/// </summary>
public sealed class MessageLoss
{
    private readonly ConcurrentQueue<Rule> _rules = new();

    public void Configure(ISiloBuilder silo) => silo.AddIncomingGrainCallFilter(Filter);

    /// <summary>Loses the next <paramref name="count"/> calls of <paramref name="method"/> on the <typeparamref name="TGrain"/> with key <paramref name="key"/>.</summary>
    public Rule Lose<TGrain>(string method, string key, int count, bool replyOnly = false) where TGrain : IGrainWithStringKey
    {
        var rule = new Rule(typeof(TGrain), method, key, count, replyOnly);
        _rules.Enqueue(rule);
        return rule;
    }

    private async Task Filter(IIncomingGrainCallContext context)
    {
        var rule = _rules.FirstOrDefault(r => r.Matches(context) && r.TakeOne());
        if (rule is null)
        {
            await context.Invoke();
            return;
        }
        if (rule.ReplyOnly) await context.Invoke();
        throw new TimeoutException($"simulated loss of {context.InterfaceMethod?.Name} to {context.TargetId}");
    }

    public sealed class Rule(Type grain, string method, string key, int count, bool replyOnly)
    {
        private readonly int _count = count;
        private int _left = count;

        public bool ReplyOnly => replyOnly;

        /// <summary>How many messages this rule has lost so far.</summary>
        public int Lost => _count - Math.Max(Volatile.Read(ref _left), 0);

        internal bool Matches(IIncomingGrainCallContext context) =>
            context.InterfaceMethod?.DeclaringType == grain && context.InterfaceMethod.Name == method &&
            context.TargetId.Key.ToString() == key;

        internal bool TakeOne() => Interlocked.Decrement(ref _left) >= 0;
    }
}
