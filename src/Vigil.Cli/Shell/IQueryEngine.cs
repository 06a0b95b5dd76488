using Vigil.Sql;
namespace Vigil.Cli.Shell;

/// <summary>What the shell needs from the SQL engine: run SQL, list tables, show their schema.</summary>
/// <remarks>Any exception thrown by these members is shown to the user as an error message and the shell goes on.</remarks>
public interface IQueryEngine
{
    /// <summary>Runs one or more statements and returns one result per statement, in order.</summary>
    IReadOnlyList<QueryResult> Execute(string sql);

    /// <summary>The names of the tables a query can name.</summary>
    IReadOnlyList<string> TableNames();

    /// <summary>The <c>CREATE TABLE</c> text of <paramref name="table"/>, or of every table when it is null.</summary>
    string Schema(string? table);
}
