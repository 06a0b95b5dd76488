using System.Runtime.InteropServices;

namespace Vigil.Sql;

// The virtual-table structs of sqlite3.h (SQLite 3.50), written once with SQLite's names and field order.

/// <summary>struct sqlite3_module (sqlite3.h): the callbacks of a virtual-table module, up to version 4.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct sqlite3_module
{
    public int iVersion;
    public delegate* unmanaged<IntPtr, IntPtr, int, byte**, sqlite3_vtab**, byte**, int> xCreate;
    public delegate* unmanaged<IntPtr, IntPtr, int, byte**, sqlite3_vtab**, byte**, int> xConnect;
    public delegate* unmanaged<sqlite3_vtab*, sqlite3_index_info*, int> xBestIndex;
    public delegate* unmanaged<sqlite3_vtab*, int> xDisconnect;
    public delegate* unmanaged<sqlite3_vtab*, int> xDestroy;
    public delegate* unmanaged<sqlite3_vtab*, sqlite3_vtab_cursor**, int> xOpen;
    public delegate* unmanaged<sqlite3_vtab_cursor*, int> xClose;
    public delegate* unmanaged<sqlite3_vtab_cursor*, int, byte*, int, IntPtr*, int> xFilter;
    public delegate* unmanaged<sqlite3_vtab_cursor*, int> xNext;
    public delegate* unmanaged<sqlite3_vtab_cursor*, int> xEof;
    public delegate* unmanaged<sqlite3_vtab_cursor*, IntPtr, int, int> xColumn;
    public delegate* unmanaged<sqlite3_vtab_cursor*, long*, int> xRowid;
    public IntPtr xUpdate;
    public IntPtr xBegin;
    public IntPtr xSync;
    public IntPtr xCommit;
    public IntPtr xRollback;
    public IntPtr xFindFunction;
    public IntPtr xRename;
    public IntPtr xSavepoint;
    public IntPtr xRelease;
    public IntPtr xRollbackTo;
    public IntPtr xShadowName;
    public IntPtr xIntegrity;
}

/// <summary>struct sqlite3_vtab (sqlite3.h): the base every virtual table instance starts with.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct sqlite3_vtab
{
    public sqlite3_module* pModule;
    public int nRef;
    public byte* zErrMsg;
}

/// <summary>struct sqlite3_vtab_cursor (sqlite3.h): the base every cursor starts with.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct sqlite3_vtab_cursor
{
    public sqlite3_vtab* pVtab;
}

/// <summary>struct sqlite3_index_info (sqlite3.h): the planner's question to xBestIndex and its answer.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct sqlite3_index_info
{
    public const byte SQLITE_INDEX_CONSTRAINT_EQ = 2;
    public const byte SQLITE_INDEX_CONSTRAINT_GT = 4;
    public const byte SQLITE_INDEX_CONSTRAINT_LE = 8;
    public const byte SQLITE_INDEX_CONSTRAINT_LT = 16;
    public const byte SQLITE_INDEX_CONSTRAINT_GE = 32;
    public const int SQLITE_INDEX_SCAN_UNIQUE = 1;

    public int nConstraint;
    public sqlite3_index_constraint* aConstraint;
    public int nOrderBy;
    public sqlite3_index_orderby* aOrderBy;
    public sqlite3_index_constraint_usage* aConstraintUsage;
    public int idxNum;
    public byte* idxStr;
    public int needToFreeIdxStr;
    public int orderByConsumed;
    public double estimatedCost;
    public long estimatedRows;
    public int idxFlags;
    public ulong colUsed;
}

/// <summary>struct sqlite3_index_constraint (sqlite3.h): one WHERE term on a column of the virtual table.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sqlite3_index_constraint
{
    public int iColumn;
    public byte op;
    public byte usable;
    public int iTermOffset;
}

/// <summary>struct sqlite3_index_orderby (sqlite3.h): one ORDER BY term.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sqlite3_index_orderby
{
    public int iColumn;
    public byte desc;
}

/// <summary>struct sqlite3_index_constraint_usage (sqlite3.h): which xFilter argument carries a term, and whether SQLite may skip re-checking it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sqlite3_index_constraint_usage
{
    public int argvIndex;
    public byte omit;
}
