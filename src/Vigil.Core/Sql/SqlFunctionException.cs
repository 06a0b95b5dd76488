namespace Vigil.Sql;

/// <summary>An SQL function's error, given to SQLite as the statement's error message.</summary>
public sealed class SqlFunctionException(string message) : Exception(message);
