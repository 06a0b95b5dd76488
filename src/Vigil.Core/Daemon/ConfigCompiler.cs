using System.Diagnostics.CodeAnalysis;
using Vigil.Schedule;
using Vigil.Sql;

namespace Vigil.Daemon;

/// <summary>Config validation's runner: prepares statements on a scratch engine (<see cref="VigilDaemon.OpenEngine"/> of null), never runs them.</summary>
public sealed class ConfigCompiler(SqlEngine engine) : IQueryRunner
{
    /// <inheritdoc/>
    public QueryRun Run(string sql) => throw new QueryException("config validation does not run queries");

    /// <inheritdoc/>
    public bool Compiles(string sql, [NotNullWhen(false)] out string? error) => engine.Compiles(sql, out error);
}
