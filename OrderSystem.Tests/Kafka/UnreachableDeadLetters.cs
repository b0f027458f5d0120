using System.Reflection;
using Confluent.Kafka;

namespace OrderSystem.Tests.Kafka;

/// <summary>
/// A producer for the dead letters whose sends fail as they would with the dead-letter topic unreachable
/// (<c>Local_MsgTimedOut</c>) until <see cref="Reachable"/> is set; then they go to the real producer it wraps.
/// </summary>
internal class UnreachableDeadLetters : DispatchProxy
{
    private IProducer<string?, byte[]> _producer = null!;
    private volatile bool _reachable;

    public IProducer<string?, byte[]> Producer => (IProducer<string?, byte[]>)(object)this;

    public bool Reachable
    {
        get => _reachable;
        set => _reachable = value;
    }

    public static UnreachableDeadLetters Wrap(IProducer<string?, byte[]> producer)
    {
        var unreachable = (UnreachableDeadLetters)(object)Create<IProducer<string?, byte[]>, UnreachableDeadLetters>();
        unreachable._producer = producer;
        return unreachable;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IProducer<string?, byte[]>.ProduceAsync) && !_reachable)
        {
            return Task.FromException<DeliveryResult<string?, byte[]>>(
                new ProduceException<string?, byte[]>(new Error(ErrorCode.Local_MsgTimedOut), new DeliveryResult<string?, byte[]>()));
        }

        try
        {
            return targetMethod.Invoke(_producer, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }
}
