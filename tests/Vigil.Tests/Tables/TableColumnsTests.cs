using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class TableColumnsTests
{
    [Fact]
    public void Columns_TakeTheirPositionsInTheOrderDeclared_AndNoneIsDeclaredAfterTheSchema()
    {
        var columns = new TableColumns();
        var pid = columns.Add("pid", ColumnType.BigInt, "Process", indexed: true);
        var eid = columns.Add("eid", ColumnType.Text, "Event", hidden: true);

        var spec = columns.Spec("t_events", "A table", isEventTable: true);

        Assert.Equal((0, 1), (pid, eid));
        Assert.Equal([new ColumnSpec("pid", ColumnType.BigInt, "Process", Indexed: true), new ColumnSpec("eid", ColumnType.Text, "Event", Hidden: true)], spec.Columns);
        Assert.Equal(("t_events", "A table", true), (spec.Name, spec.Description, spec.IsEventTable));
        var error = Assert.Throws<InvalidOperationException>(() => columns.Add("late", ColumnType.Text, ""));
        Assert.Equal("Column late is declared after its table's schema was made.", error.Message);
        Assert.Equal(2, spec.Columns.Count);
    }
}
