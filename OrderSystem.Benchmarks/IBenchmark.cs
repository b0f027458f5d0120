namespace OrderSystem.Benchmarks;

/// <summary>A console benchmark that prints its figures; picked by <see cref="Name"/> on the command line.</summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
