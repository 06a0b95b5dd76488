using System.Text;

namespace Vigil.Records;

/// <summary>
/// The text of a field whose value mostly repeats from one event to the next (a terminal, a file mode): the last
/// value's string is kept and given again while the bytes are the same, so that a row costs no new string.
/// </summary>
public sealed class RepeatedText
{
    private byte[] _bytes = [];
    private string _text = string.Empty;

    /// <summary>The UTF-8 text of <paramref name="bytes"/>, the same string as the last time when they are the same.</summary>
    public string Of(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.SequenceEqual(_bytes))
        {
            _bytes = bytes.ToArray();
            _text = Encoding.UTF8.GetString(bytes);
        }

        return _text;
    }
}
