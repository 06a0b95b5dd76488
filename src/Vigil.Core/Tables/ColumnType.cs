namespace Vigil.Tables;

/// <summary>osquery's column types, as they appear in the table specs.</summary>
public enum ColumnType
{
    Text,
    Integer,
    BigInt,
}
