using Vigil.Schedule;

namespace Vigil.Tests.Schedule;

/// <summary>An <see cref="IResultStore"/> that forgets everything when the process ends; for tests and for <c>--disable_database</c>-like runs.</summary>
public sealed class InMemoryResultStore : IResultStore
{
    private readonly Dictionary<string, QueryState> _states = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public QueryState? Get(string name)
    {
        lock (_lock)
        {
            return _states.GetValueOrDefault(name);
        }
    }

    /// <inheritdoc />
    public void Set(string name, QueryState state)
    {
        lock (_lock)
        {
            _states[name] = state;
        }
    }
}
