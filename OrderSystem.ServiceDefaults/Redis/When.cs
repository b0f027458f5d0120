namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>The condition of a <c>SET</c>.</summary>
public enum When
{
    Always,

    /// <summary><c>NX</c>: only set a key that does not exist yet.</summary>
    NotExists,

    /// <summary><c>XX</c>: only overwrite a key that exists.</summary>
    Exists,
}
