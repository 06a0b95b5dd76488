using Microsoft.Data.Sqlite;
using Vigil.Store;

namespace Vigil.Remote;

/// <summary>
/// What the remote client keeps in the daemon's database, so that it survives restarts: the node key, the last
/// config the server served that was applied, and the last id of the log batch being sent (to count lines sent twice
/// after an unclean stop). On a connection of its own; callers on several threads share it under its lock.
/// </summary>
public sealed class RemoteState : IDisposable
{
    /// <summary>The name of the node key.</summary>
    public const string NodeKey = "node_key";

    /// <summary>The name of the last good served config.</summary>
    public const string Config = "config";

    /// <summary>The name of the last line id of the log batch in flight.</summary>
    public const string InFlight = "log_in_flight";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    /// <summary>Opens <paramref name="databasePath"/> (an event store already initialised) and creates the table when missing.</summary>
    public RemoteState(string databasePath)
    {
        _connection = StateConnection.Open(databasePath);
        StateConnection.Execute(_connection, "CREATE TABLE IF NOT EXISTS vigil_remote(name TEXT PRIMARY KEY, value TEXT NOT NULL)");
    }

    /// <summary>The value stored under <paramref name="name"/>, or null.</summary>
    public string? Get(string name)
    {
        lock (_lock)
        {
            using var command = StateConnection.Command(_connection, "SELECT value FROM vigil_remote WHERE name = $name", ("$name", name));
            return command.ExecuteScalar() as string;
        }
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="name"/>, or removes the name when it is null.</summary>
    public void Set(string name, string? value)
    {
        lock (_lock)
        {
            using var command = value is null
                ? StateConnection.Command(_connection, "DELETE FROM vigil_remote WHERE name = $name", ("$name", name))
                : StateConnection.Command(_connection, "INSERT OR REPLACE INTO vigil_remote(name, value) VALUES ($name, $value)", ("$name", name), ("$value", value));
            command.ExecuteNonQuery();
        }
    }

    public void Dispose() => _connection.Dispose();
}
