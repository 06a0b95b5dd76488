using Xunit;

namespace Vigil.Tests.Hardening;

/// <summary>A test that needs root (mount, setpriv, root-owned files): skipped without it, except under CI=true.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute() =>
        Skip = Environment.GetEnvironmentVariable("CI") != "true" && !Environment.IsPrivilegedProcess
            ? "needs root (CI=true makes this a failure instead of a skip)"
            : null;
}
