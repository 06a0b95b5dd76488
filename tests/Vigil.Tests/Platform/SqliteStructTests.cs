using System.Runtime.InteropServices;
using Vigil.Platform;
using Xunit;

namespace Vigil.Tests.Platform;

/// <summary>The virtual-table structs of sqlite3.h on x86_64 (offsetof in C against sqlite3.h).</summary>
public class SqliteStructTests
{
    [Fact]
    public void Sizes_match_sqlite3_h()
    {
        // 24 callbacks after iVersion and its padding: xIntegrity (SQLite 3.44, module version 4) follows xShadowName.
        Assert.Equal(200, Marshal.SizeOf<sqlite3_module>());
        Assert.Equal(24, Marshal.SizeOf<sqlite3_vtab>());
        Assert.Equal(8, Marshal.SizeOf<sqlite3_vtab_cursor>());
        Assert.Equal(96, Marshal.SizeOf<sqlite3_index_info>());
        Assert.Equal(12, Marshal.SizeOf<sqlite3_index_constraint>());
        Assert.Equal(8, Marshal.SizeOf<sqlite3_index_orderby>());
        Assert.Equal(8, Marshal.SizeOf<sqlite3_index_constraint_usage>());
    }

    [Theory]
    [InlineData(nameof(sqlite3_module.iVersion), 0)]
    [InlineData(nameof(sqlite3_module.xCreate), 8)]
    [InlineData(nameof(sqlite3_module.xBestIndex), 24)]
    [InlineData(nameof(sqlite3_module.xRowid), 96)]
    [InlineData(nameof(sqlite3_module.xUpdate), 104)]
    [InlineData(nameof(sqlite3_module.xShadowName), 184)]
    [InlineData(nameof(sqlite3_module.xIntegrity), 192)]
    public void Module_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<sqlite3_module>(field));

    [Theory]
    [InlineData(nameof(sqlite3_vtab.pModule), 0)]
    [InlineData(nameof(sqlite3_vtab.nRef), 8)]
    [InlineData(nameof(sqlite3_vtab.zErrMsg), 16)]
    public void Vtab_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<sqlite3_vtab>(field));

    [Theory]
    [InlineData(nameof(sqlite3_index_info.nConstraint), 0)]
    [InlineData(nameof(sqlite3_index_info.aConstraint), 8)]
    [InlineData(nameof(sqlite3_index_info.nOrderBy), 16)]
    [InlineData(nameof(sqlite3_index_info.aOrderBy), 24)]
    [InlineData(nameof(sqlite3_index_info.aConstraintUsage), 32)]
    [InlineData(nameof(sqlite3_index_info.idxNum), 40)]
    [InlineData(nameof(sqlite3_index_info.idxStr), 48)]
    [InlineData(nameof(sqlite3_index_info.needToFreeIdxStr), 56)]
    [InlineData(nameof(sqlite3_index_info.orderByConsumed), 60)]
    [InlineData(nameof(sqlite3_index_info.estimatedCost), 64)]
    [InlineData(nameof(sqlite3_index_info.estimatedRows), 72)]
    [InlineData(nameof(sqlite3_index_info.idxFlags), 80)]
    [InlineData(nameof(sqlite3_index_info.colUsed), 88)]
    public void Index_info_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<sqlite3_index_info>(field));

    [Theory]
    [InlineData(typeof(sqlite3_index_constraint), nameof(sqlite3_index_constraint.iColumn), 0)]
    [InlineData(typeof(sqlite3_index_constraint), nameof(sqlite3_index_constraint.op), 4)]
    [InlineData(typeof(sqlite3_index_constraint), nameof(sqlite3_index_constraint.usable), 5)]
    [InlineData(typeof(sqlite3_index_constraint), nameof(sqlite3_index_constraint.iTermOffset), 8)]
    [InlineData(typeof(sqlite3_index_orderby), nameof(sqlite3_index_orderby.iColumn), 0)]
    [InlineData(typeof(sqlite3_index_orderby), nameof(sqlite3_index_orderby.desc), 4)]
    [InlineData(typeof(sqlite3_index_constraint_usage), nameof(sqlite3_index_constraint_usage.argvIndex), 0)]
    [InlineData(typeof(sqlite3_index_constraint_usage), nameof(sqlite3_index_constraint_usage.omit), 4)]
    public void Index_term_offsets(Type type, string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf(type, field));
}
