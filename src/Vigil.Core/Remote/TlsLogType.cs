namespace Vigil.Remote;

/// <summary>The <c>log_type</c> of a TLS logger request.</summary>
public enum TlsLogType
{
    /// <summary>Result (and snapshot) lines.</summary>
    Result = 0,

    /// <summary>Status lines.</summary>
    Status = 1,
}
