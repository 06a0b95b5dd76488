namespace Vigil.Schedule;

/// <summary>Persisted differential state of scheduled queries, keyed by the query's log name.</summary>
public interface IResultStore
{
    /// <summary>The state saved for a name, or null when the name was never run.</summary>
    QueryState? Get(string name);

    /// <summary>Replaces the state of a name; called once per run, after the run's differential was computed.</summary>
    void Set(string name, QueryState state);
}
