namespace Vigil.Tables;

/// <summary>A cell: an integer or a text, never boxed. Text null means SQL NULL.</summary>
public readonly struct ColumnValue
{
    private ColumnValue(long integer, string? text, bool isText)
    {
        Integer = integer;
        Text = text;
        IsText = isText;
    }

    public long Integer { get; }

    public string? Text { get; }

    public bool IsText { get; }

    public static ColumnValue Of(long value) => new(value, null, false);

    public static ColumnValue Of(string? value) => new(0, value, true);

    /// <summary>SQL NULL: what osquery returns for a column its row builder did not set.</summary>
    public static ColumnValue Null => new(0, null, true);

    /// <summary>The value as osquery prints it in results (every value a string).</summary>
    public override string ToString() => IsText ? Text ?? string.Empty : Integer.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
