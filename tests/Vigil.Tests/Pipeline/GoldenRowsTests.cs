using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vigil.Events;
using Vigil.Pipeline;
using Vigil.Store;
using Vigil.Tables;
using Vigil.Tests.Tables;
using Xunit;

namespace Vigil.Tests.Pipeline;

/// <summary>
/// Every recorded log and BSM trail under Fixtures/ replayed into every event table and compared exactly with its
/// golden file (<c>NAME.golden.json</c> beside <c>NAME.log</c>, <c>NAME.bsm</c> or <c>NAME.trail</c>): the ingest counters, then each table's rows in store order with all
/// columns, hidden ones included, each value as the row builder made it (an integer, a text, or null). <c>eid</c> is the
/// number the store gives the row, its place in the table from 1. <c>VIGIL_UPDATE_GOLDEN=1 dotnet test</c> writes the
/// golden files again from what the code makes now, so a change of behaviour shows as their diff.
/// </summary>
public sealed class GoldenRowsTests
{
    private const string UpdateVariable = "VIGIL_UPDATE_GOLDEN";

    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions OneLine = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string FixturesDirectory { get; } = Path.Combine(ProjectDirectory(), "Fixtures");

    public static TheoryData<string> Fixtures()
    {
        var fixtures = new TheoryData<string>();
        var logs = Directory.EnumerateFiles(FixturesDirectory, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetExtension(path) is ".log" or ".bsm" or ".trail");
        foreach (var log in logs.Order(StringComparer.Ordinal))
        {
            fixtures.Add(Path.GetRelativePath(FixturesDirectory, log));
        }

        return fixtures;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void A_recorded_log_makes_the_rows_of_its_golden_file(string fixture)
    {
        var golden = Path.ChangeExtension(Path.Combine(FixturesDirectory, fixture), ".golden.json");
        var actual = Render(fixture);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(golden, actual);
            return;
        }

        Assert.True(File.Exists(golden), $"{golden} is missing: {UpdateVariable}=1 dotnet test writes it");
        var expected = File.ReadAllText(golden);
        if (FirstDifference(expected, actual) is { } difference)
        {
            Assert.Fail($"{fixture} differs from {golden} ({UpdateVariable}=1 dotnet test writes it again):\n{difference}");
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_golden_files_hold_every_event_table()
    {
        Assert.Equal(
            IngestOptions.EventTableSpecs.Select(spec => spec.Name),
            TableFixture.LogFileTables().Select(table => table.Spec.Name));
    }

    [Fact]
    public void A_changed_value_is_shown_with_its_table_row_and_column()
    {
        var expected = Render("tables/exec.log");
        var actual = expected.Replace("\"pid\": 8144,", "\"pid\": 9999,", StringComparison.Ordinal);

        var difference = FirstDifference(expected, actual);

        Assert.NotNull(difference);
        Assert.StartsWith("process_events row 2:\n  pid: expected 8144, actual 9999\nexpected: {\"pid\":8144,\"path\":\"/usr/bin/dash\",", difference, StringComparison.Ordinal);
    }

    /// <summary>The golden JSON of one fixture as the code makes it now.</summary>
    private static string Render(string fixture)
    {
        var tables = TableFixture.LogFileTables();
        var rows = new RowsByTable();
        var replay = Replay.ToRows(tables, rows);
        replay.ReadLogFiles([Path.Combine(FixturesDirectory, fixture)]);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartObject();
            json.WriteStartObject("counters");
            foreach (var counter in typeof(IngestCounters).GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                json.WriteNumber(counter.Name, (long)counter.GetValue(replay.Counters)!);
            }

            json.WriteEndObject();
            foreach (var table in tables)
            {
                WriteRows(json, table.Spec, rows.Of(table.Spec));
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteRows(Utf8JsonWriter json, TableSpec spec, List<ColumnValue[]> rows)
    {
        json.WriteStartArray(spec.Name);
        for (var eid = 1; eid <= rows.Count; eid++)
        {
            var row = rows[eid - 1];
            json.WriteStartObject();
            for (var i = 0; i < spec.Columns.Count; i++)
            {
                var name = spec.Columns[i].Name;
                if (name == StoredTable.EidColumn)
                {
                    json.WriteNumber(name, eid);
                }
                else if (!row[i].IsText)
                {
                    json.WriteNumber(name, row[i].Integer);
                }
                else if (row[i].Text is { } text)
                {
                    json.WriteString(name, text);
                }
                else
                {
                    json.WriteNull(name);
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Where two golden texts first differ, as "table row N" and the columns that differ in it; null when they do not.</summary>
    private static string? FirstDifference(string expectedText, string actualText)
    {
        using var expected = JsonDocument.Parse(expectedText);
        using var actual = JsonDocument.Parse(actualText);
        var sections = expected.RootElement.EnumerateObject().Select(p => p.Name).Union(actual.RootElement.EnumerateObject().Select(p => p.Name));
        foreach (var section in sections)
        {
            var before = Section(expected.RootElement, section);
            var after = Section(actual.RootElement, section);
            if (before.ValueKind == JsonValueKind.Array || after.ValueKind == JsonValueKind.Array)
            {
                var beforeRows = Rows(before);
                var afterRows = Rows(after);
                for (var i = 0; i < Math.Max(beforeRows.Count, afterRows.Count); i++)
                {
                    if (i >= beforeRows.Count || i >= afterRows.Count || !Same(beforeRows[i], afterRows[i]))
                    {
                        return $"{section} row {i + 1}:\n{Describe(beforeRows.ElementAtOrDefault(i), afterRows.ElementAtOrDefault(i))}";
                    }
                }
            }
            else if (!Same(before, after))
            {
                return $"{section}:\n{Describe(before, after)}";
            }
        }

        return null;
    }

    /// <summary>DeepEquals, with a member or row missing on one side (an undefined element) counted as a difference.</summary>
    private static bool Same(JsonElement a, JsonElement b) =>
        a.ValueKind == JsonValueKind.Undefined || b.ValueKind == JsonValueKind.Undefined ? a.ValueKind == b.ValueKind : JsonElement.DeepEquals(a, b);

    private static JsonElement Section(JsonElement root, string name) => root.TryGetProperty(name, out var value) ? value : default;

    private static List<JsonElement> Rows(JsonElement table) => table.ValueKind == JsonValueKind.Array ? [.. table.EnumerateArray()] : [];

    /// <summary>The members that differ, one a line, then both objects whole.</summary>
    private static string Describe(JsonElement expected, JsonElement actual)
    {
        var text = new StringBuilder();
        if (expected.ValueKind == JsonValueKind.Object && actual.ValueKind == JsonValueKind.Object)
        {
            var names = expected.EnumerateObject().Select(p => p.Name).Union(actual.EnumerateObject().Select(p => p.Name));
            foreach (var name in names)
            {
                var before = Section(expected, name);
                var after = Section(actual, name);
                if (!Same(before, after))
                {
                    text.Append($"  {name}: expected {Raw(before)}, actual {Raw(after)}\n");
                }
            }
        }

        return text.Append($"expected: {Raw(expected)}\nactual:   {Raw(actual)}").ToString();
    }

    /// <summary>A value on one line, cut at 300 characters (exec-large.log's command line is 200 KB).</summary>
    private static string Raw(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return "(none)";
        }

        var text = JsonSerializer.Serialize(value, OneLine);
        return text.Length <= 300 ? text : $"{text[..300]}… ({text.Length} characters)";
    }

    // The golden files are read and written in the source tree, so that an update is what git shows.
    private static string ProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Vigil.Tests.csproj")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Vigil.Tests.csproj above {AppContext.BaseDirectory}");
    }

    /// <summary>Copies of the rows the router writes, by table.</summary>
    private sealed class RowsByTable : IRowSink
    {
        private readonly Dictionary<string, List<ColumnValue[]>> _rows = [];

        public List<ColumnValue[]> Of(TableSpec table) => _rows.GetValueOrDefault(table.Name) ?? [];

        public void Write(TableSpec table, ReadOnlySpan<ColumnValue> row)
        {
            if (!_rows.TryGetValue(table.Name, out var rows))
            {
                rows = [];
                _rows.Add(table.Name, rows);
            }

            rows.Add(row.ToArray());
        }
    }
}
