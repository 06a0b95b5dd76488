using Vigil.Sql;
using Xunit;

namespace Vigil.Tests.Sql;

public sealed class ColumnOrderTests
{
    [Fact]
    public void RowsOfAResult_AreOrderedByName_ARepeatedNameKeepsItsLastValue_AsPairByPairRowsAre()
    {
        var rows = new ResultRowCollector();
        rows.Begin(["pid", "b", "a", "b", "B"]);
        rows.Row(new QueryRow(["1", "b1", "a1", "b2", "upper"]));
        rows.Row(new QueryRow(["2", "", "a2", "b3", ""]));

        Assert.Equal(2, rows.Rows.Count);
        Assert.Equal([new("B", "upper"), new("a", "a1"), new("b", "b2"), new("pid", "1")], rows.Rows[0].Cells.ToArray());
        Assert.Equal([new("B", ""), new("a", "a2"), new("b", "b3"), new("pid", "2")], rows.Rows[1].Cells.ToArray());
        Assert.Equal(ResultRow.From([new("pid", "1"), new("b", "b1"), new("a", "a1"), new("b", "b2"), new("B", "upper")]), rows.Rows[0]);
    }

    [Fact]
    public void ARowOfTheWrongLength_IsRefused_WithBothCounts()
    {
        var order = new ColumnOrder(["a", "b"]);

        var error = Assert.Throws<ArgumentException>(() => ResultRow.From(order, new QueryRow(["1"])));
        Assert.StartsWith("A row has 1 values for 2 columns.", error.Message, StringComparison.Ordinal);
    }
}
