using System.Buffers;
using System.Globalization;
using System.Text;
using Vigil.Sql;

namespace Vigil.Cli.Shell;

/// <summary>
/// Writes results in an <see cref="OutputMode"/> as SQLite steps them (see <see cref="ResultFormatter"/> for the
/// format). JSON, CSV and line rows are written as they come, escaped straight from SQLite's UTF-8 into a reused
/// buffer, so a large result is neither kept nor turned into strings; pretty output keeps its rows, which it needs for
/// the column widths. The buffer goes to the output when full and at the end of each statement: to a UTF-8
/// <see cref="StreamWriter"/>'s stream directly (after flushing the writer), to any other writer as text.
/// </summary>
public sealed class ResultWriter : IQueryResultSink
{
    private const int BufferSize = 64 * 1024;

    private static readonly SearchValues<byte> JsonEscaped = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);
    private static readonly SearchValues<byte> CsvQuoted = SearchValues.Create(
        [.. Enumerable.Range(0, 0x21).Select(b => (byte)b), (byte)'"', (byte)'\'', (byte)ResultFormatter.CsvSeparator, .. Enumerable.Range(0x7f, 0x81).Select(b => (byte)b)]);

    private readonly TextWriter _output;
    private readonly OutputMode _mode;
    private readonly Stream? _stream;
    private readonly Decoder? _decoder;
    private byte[] _buffer = new byte[BufferSize];
    private byte[] _scratch = new byte[1024];
    private int _used;
    private QueryResultCollector? _pretty;
    private byte[][] _names = [];
    private int _rows;

    /// <summary>A writer of <paramref name="mode"/> to <paramref name="output"/>.</summary>
    public ResultWriter(TextWriter output, OutputMode mode)
    {
        _output = output;
        _mode = mode;
        if (output is StreamWriter { Encoding: UTF8Encoding utf8 } writer && utf8.GetPreamble().Length == 0)
        {
            _stream = writer.BaseStream;
        }
        else
        {
            _decoder = Encoding.UTF8.GetDecoder();
        }
    }

    /// <inheritdoc/>
    public void Begin(IReadOnlyList<string> columns)
    {
        _rows = 0;
        switch (_mode)
        {
            case OutputMode.Pretty:
                _pretty = new QueryResultCollector();
                _pretty.Begin(columns);
                break;
            case OutputMode.Json:
                _names = new byte[columns.Count][];
                for (var c = 0; c < columns.Count; c++)
                {
                    var start = _used;
                    WriteJsonString(Encoding.UTF8.GetBytes(columns[c]));
                    Append((byte)':');
                    _names[c] = _buffer.AsSpan(start, _used - start).ToArray();
                    _used = start;
                }

                Append("[\n"u8);
                break;
            case OutputMode.Csv:
                _names = new byte[columns.Count][];
                for (var c = 0; c < columns.Count; c++)
                {
                    _names[c] = Encoding.UTF8.GetBytes(columns[c]);
                }

                break;
            case OutputMode.Line:
                var width = 5;
                foreach (var column in columns)
                {
                    width = Math.Max(width, ResultFormatter.Width(column));
                }

                _names = new byte[columns.Count][];
                for (var c = 0; c < columns.Count; c++)
                {
                    _names[c] = Encoding.UTF8.GetBytes(new string(' ', width - ResultFormatter.Width(columns[c])) + columns[c] + " = ");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(_mode), _mode, null);
        }
    }

    /// <inheritdoc/>
    public void Row(QueryRow row)
    {
        switch (_mode)
        {
            case OutputMode.Pretty:
                _pretty!.Row(row);
                break;
            case OutputMode.Json:
                WriteJsonRow(row);
                break;
            case OutputMode.Csv:
                WriteCsvRow(row);
                break;
            default:
                WriteLineRow(row);
                break;
        }

        _rows++;
    }

    /// <inheritdoc/>
    public void End()
    {
        if (_mode == OutputMode.Pretty)
        {
            _pretty!.End();
            ResultFormatter.Write(_output, _pretty.Results[0], OutputMode.Pretty);
            _pretty = null;
            return;
        }

        if (_mode == OutputMode.Json)
        {
            Append(_rows == 0 ? "\n]\n"u8 : "}\n]\n"u8);
        }

        Flush();
    }

    /// <summary>Hands what is buffered to the output (also what a statement wrote before it failed).</summary>
    public void Flush()
    {
        if (_used == 0)
        {
            return;
        }

        if (_stream is not null)
        {
            _output.Flush();
            _stream.Write(_buffer, 0, _used);
        }
        else
        {
            var chars = ArrayPool<char>.Shared.Rent(_used);
            var count = _decoder!.GetChars(_buffer, 0, _used, chars, 0, flush: false);
            _output.Write(chars, 0, count);
            ArrayPool<char>.Shared.Return(chars);
        }

        _used = 0;
    }

    private void WriteJsonRow(QueryRow row)
    {
        Append(_rows == 0 ? "  {"u8 : "},\n  {"u8);
        for (var c = 0; c < row.Count; c++)
        {
            if (c > 0)
            {
                Append((byte)',');
            }

            Append(_names[c]);
            WriteJsonString(row.TryGetUtf8(c, ref _scratch, out var text) ? text : default);
        }

        // The row's closing brace is written with the next row's separator or at the end.
        if (_used > BufferSize)
        {
            Flush();
        }
    }

    private void WriteCsvRow(QueryRow row)
    {
        if (_rows == 0)
        {
            for (var c = 0; c < _names.Length; c++)
            {
                if (c > 0)
                {
                    Append((byte)ResultFormatter.CsvSeparator);
                }

                WriteCsvField(_names[c], isNull: false);
            }

            Append((byte)'\n');
        }

        for (var c = 0; c < row.Count; c++)
        {
            if (c > 0)
            {
                Append((byte)ResultFormatter.CsvSeparator);
            }

            var isNull = !row.TryGetUtf8(c, ref _scratch, out var text);
            WriteCsvField(text, isNull);
        }

        Append((byte)'\n');
        if (_used > BufferSize)
        {
            Flush();
        }
    }

    private void WriteLineRow(QueryRow row)
    {
        if (_rows > 0)
        {
            Append((byte)'\n');
        }

        for (var c = 0; c < row.Count; c++)
        {
            Append(_names[c]);
            Append(row.TryGetUtf8(c, ref _scratch, out var text) ? text : default);
            Append((byte)'\n');
        }

        if (_used > BufferSize)
        {
            Flush();
        }
    }

    // Escapes as rapidjson's writer does for osqueryi: the two-character forms where JSON has them, \u00XX for the
    // other control characters, everything else (including non-ASCII) as is.
    private void WriteJsonString(ReadOnlySpan<byte> text)
    {
        Append((byte)'"');
        int next;
        while ((next = text.IndexOfAny(JsonEscaped)) >= 0)
        {
            Append(text[..next]);
            var escape = text[next] switch
            {
                (byte)'"' => "\\\""u8,
                (byte)'\\' => "\\\\"u8,
                (byte)'\b' => "\\b"u8,
                (byte)'\f' => "\\f"u8,
                (byte)'\n' => "\\n"u8,
                (byte)'\r' => "\\r"u8,
                (byte)'\t' => "\\t"u8,
                _ => default,
            };
            if (escape.IsEmpty)
            {
                Append("\\u00"u8);
                Append((byte)HexDigit(text[next] >> 4));
                Append((byte)HexDigit(text[next] & 0xF));
            }
            else
            {
                Append(escape);
            }

            text = text[(next + 1)..];
        }

        Append(text);
        Append((byte)'"');
    }

    // osqueryi (after SQLite's shell) quotes a field holding a control character, a space, a quote of either kind,
    // DEL, any non-ASCII character or the separator, and doubles the double quotes inside. The empty string is
    // quoted too (""), which tells it apart from NULL, written as nothing.
    private void WriteCsvField(ReadOnlySpan<byte> text, bool isNull)
    {
        if (isNull)
        {
            return;
        }

        if (!text.IsEmpty && !text.ContainsAny(CsvQuoted))
        {
            Append(text);
            return;
        }

        Append((byte)'"');
        int quote;
        while ((quote = text.IndexOf((byte)'"')) >= 0)
        {
            Append(text[..(quote + 1)]);
            Append((byte)'"');
            text = text[(quote + 1)..];
        }

        Append(text);
        Append((byte)'"');
    }

    private static char HexDigit(int value) => "0123456789ABCDEF"[value];

    private void Append(byte value)
    {
        if (_used == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_used++] = value;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _used)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    // A row is written whole before the buffer is handed over, so one long row grows the buffer instead of splitting.
    private void Grow(int needed) => Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + needed));
}
