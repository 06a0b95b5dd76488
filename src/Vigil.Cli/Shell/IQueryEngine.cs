using Vigil.Sql;
namespace Vigil.Cli.Shell;

/// <summary>What the shell needs from the SQL engine: run SQL, list tables, show their schema.</summary>
/// <remarks>Any exception thrown by these members is shown to the user as an error message and the shell goes on.</remarks>
public interface IQueryEngine
{
    /// <summary>Runs one or more statements in order, handing each one's result to <paramref name="sink"/> as it is produced; throws at the first failing statement.</summary>
    void Execute(string sql, IQueryResultSink sink);

    /// <summary>The names of the tables a query can name.</summary>
    IReadOnlyList<string> TableNames();

    /// <summary>The <c>CREATE TABLE</c> text of <paramref name="table"/>, or of every table when it is null.</summary>
    string Schema(string? table);
}
