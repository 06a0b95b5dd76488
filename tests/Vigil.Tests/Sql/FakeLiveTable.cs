using Vigil.Tables;

namespace Vigil.Tests.Sql;

/// <summary>A live table with fixed rows that counts how often it is generated.</summary>
internal sealed class FakeLiveTable : ILiveTable
{
    public static readonly TableSpec ProcessesSpec = new("test_processes", "Processes for tests.", isEventTable: false,
    [
        new ColumnSpec("pid", ColumnType.BigInt, "Process id", Indexed: true),
        new ColumnSpec("name", ColumnType.Text, "Name"),
        new ColumnSpec("secret", ColumnType.Text, "A hidden column", Hidden: true),
    ]);

    private readonly ColumnValue[][] _rows;
    private readonly Exception? _failure;

    public FakeLiveTable(ColumnValue[][] rows, Exception? failure = null)
    {
        _rows = rows;
        _failure = failure;
    }

    public TableSpec Spec => ProcessesSpec;

    public int Generated { get; private set; }

    public IEnumerable<ColumnValue[]> Generate()
    {
        Generated++;
        if (_failure is not null)
        {
            throw _failure;
        }

        return _rows;
    }
}
