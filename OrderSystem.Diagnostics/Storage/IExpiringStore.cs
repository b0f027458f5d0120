namespace OrderSystem.Diagnostics.Storage;

/// <summary>A store whose items expire with age even when nothing new arrives to push them out.</summary>
public interface IExpiringStore
{
    void EvictExpired();
}
