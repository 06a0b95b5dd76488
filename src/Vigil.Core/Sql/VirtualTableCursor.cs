namespace Vigil.Sql;

/// <summary>One scan of a <see cref="VirtualTable"/>; xFilter may restart it any number of times.</summary>
internal abstract class VirtualTableCursor : IDisposable
{
    public abstract bool Eof { get; }

    public abstract long Rowid { get; }

    /// <summary>Starts (or restarts) the scan with the plan text chosen in xBestIndex and its argument values (sqlite3_value*).</summary>
    public abstract void Filter(string? plan, ReadOnlySpan<IntPtr> arguments);

    public abstract void Next();

    /// <summary>Sets the result of <paramref name="context"/> (sqlite3_context*) to the current row's column.</summary>
    public abstract void Column(IntPtr context, int column);

    public virtual void Dispose()
    {
    }
}
