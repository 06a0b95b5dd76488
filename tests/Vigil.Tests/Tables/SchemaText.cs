using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

/// <summary>A schema as its column names, hidden ones marked with a trailing '*'.</summary>
internal static class SchemaText
{
    public static string[] Of(TableSpec spec) =>
        spec.Columns.Select(column => column.Hidden ? column.Name + "*" : column.Name).ToArray();
}
