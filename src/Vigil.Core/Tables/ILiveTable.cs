namespace Vigil.Tables;

/// <summary>A table generated when queried (processes from /proc, audit_status from the kernel).</summary>
public interface ILiveTable
{
    TableSpec Spec { get; }

    /// <summary>The current rows, each in column order.</summary>
    IEnumerable<ColumnValue[]> Generate();
}
