using Vigil.Sql;
using Xunit;

namespace Vigil.Tests.Sql;

public sealed class ResultRowCollectorTests
{
    [Fact]
    public void KeepsTheLastStatementsRows_ByName_NullAsTheEmptyString_PastStatementsWithoutColumns()
    {
        using var engine = new SqlEngine(null, [], []);
        var rows = new ResultRowCollector();

        engine.Execute("SELECT 1 AS a; SELECT NULL AS b, 'x' AS a UNION ALL SELECT 'y', NULL; CREATE TEMP TABLE t(c)", rows);

        Assert.Equal([ResultRow.From(["a", "b"], ["x", ""]), ResultRow.From(["a", "b"], ["", "y"])], rows.Rows);
    }
}
