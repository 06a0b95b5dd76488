using System.Buffers;
using System.Text;
using Vigil.Logging;
using Vigil.Sql;

namespace Vigil.Cli.Shell;

/// <summary>
/// Writes results in an <see cref="OutputMode"/> as SQLite steps them (see <see cref="ResultFormatter"/> for the
/// format). JSON, CSV and line rows are written as they come, escaped straight from SQLite's UTF-8 into a reused
/// buffer (JSON by <see cref="JsonText"/>, as the result logs are), so a large result is neither kept nor turned into
/// strings; pretty output keeps its rows, which it needs for the column widths. The buffer goes to the output when full and at the end of each statement: to a UTF-8
/// <see cref="StreamWriter"/>'s stream directly (after flushing the writer), to any other writer as text.
/// </summary>
public sealed class ResultWriter : IQueryResultSink
{
    private const int BufferSize = 64 * 1024;

    private static readonly SearchValues<byte> CsvQuoted = SearchValues.Create(
        [.. Enumerable.Range(0, 0x21).Select(b => (byte)b), (byte)'"', (byte)'\'', (byte)ResultFormatter.CsvSeparator, .. Enumerable.Range(0x7f, 0x81).Select(b => (byte)b)]);

    private readonly TextWriter _output;
    private readonly OutputMode _mode;
    private readonly Stream? _stream;
    private readonly Decoder? _decoder;
    private readonly ArrayBufferWriter<byte> _buffer = new(BufferSize);
    private byte[] _scratch = new byte[1024];
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
                var name = new ArrayBufferWriter<byte>();
                for (var c = 0; c < columns.Count; c++)
                {
                    // Each name but the first carries the comma before it: one write less per cell.
                    name.ResetWrittenCount();
                    if (c > 0)
                    {
                        name.Write(","u8);
                    }

                    JsonText.String(name, columns[c]);
                    name.Write(":"u8);
                    _names[c] = name.WrittenSpan.ToArray();
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
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        if (_stream is not null)
        {
            _output.Flush();
            _stream.Write(_buffer.WrittenSpan);
        }
        else
        {
            var chars = ArrayPool<char>.Shared.Rent(_buffer.WrittenCount);
            var count = _decoder!.GetChars(_buffer.WrittenSpan, chars, flush: false);
            _output.Write(chars, 0, count);
            ArrayPool<char>.Shared.Return(chars);
        }

        _buffer.ResetWrittenCount();
    }

    private void WriteJsonRow(QueryRow row)
    {
        Append(_rows == 0 ? "  {"u8 : "},\n  {"u8);
        for (var c = 0; c < row.Count; c++)
        {
            switch (row.GetCell(c, ref _scratch, out var integer, out var text))
            {
                case QueryCell.Integer:
                    JsonText.QuotedNumber(_buffer, _names[c], integer);
                    break;
                default:
                    JsonText.String(_buffer, _names[c], text);
                    break;
            }
        }

        // The row's closing brace is written with the next row's separator or at the end.
        if (_buffer.WrittenCount > BufferSize)
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
        if (_buffer.WrittenCount > BufferSize)
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

        if (_buffer.WrittenCount > BufferSize)
        {
            Flush();
        }
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

    // A row is written whole before the buffer is handed over, so one long row grows the buffer instead of splitting.
    private void Append(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    private void Append(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);
}
