namespace Vigil.Sql;

/// <summary>What one query from a server may cost: its run time, the rows it returns and the bytes of their values.</summary>
public readonly record struct QueryBudget(TimeSpan Time, long MaxRows, long MaxBytes);
