namespace Vigil.Sql;

/// <summary>
/// osquery's base64 (osquery/utils/base64.cpp) as its SQL functions use it: standard alphabet with '=' padding to
/// encode; to decode, line breaks are dropped and trailing '=' cut, then any character outside the alphabet (or a
/// lone final character) makes the whole result '' (boost's decoder throws and osquery returns empty), and leftover
/// bits are dropped.
/// </summary>
public static class Base64Text
{
    /// <summary>to_base64: the base64 of the bytes, '' for none.</summary>
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes);

    /// <summary>conditional_to_base64: the bytes themselves when every one is printable ASCII (0x20 to 0x7E), else their base64.</summary>
    public static byte[] EncodeUnlessPrintable(byte[] bytes) =>
        bytes.AsSpan().IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) < 0 ? bytes : System.Text.Encoding.ASCII.GetBytes(Encode(bytes));

    /// <summary>from_base64: the decoded bytes, '' when the text is not base64.</summary>
    public static byte[] Decode(byte[] text)
    {
        var encoded = System.Text.Encoding.Latin1.GetString(text).Replace("\r\n", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).TrimEnd('=');
        if (encoded.Length % 4 == 1)
        {
            return [];
        }

        var output = new byte[encoded.Length * 6 / 8];
        int bits = 0, accumulated = 0, written = 0;
        foreach (var c in encoded)
        {
            var value = Sextet(c);
            if (value < 0)
            {
                return [];
            }

            accumulated = (accumulated << 6) | value;
            bits += 6;
            if (bits >= 8 && written < output.Length)
            {
                bits -= 8;
                output[written++] = (byte)(accumulated >> bits);
                accumulated &= (1 << bits) - 1;
            }
        }

        return output;
    }

    /// <summary>The 6-bit value of a base64 character; '=' inside the text counts as 0, as boost's table has it; -1 for any other character.</summary>
    private static int Sextet(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' => 62,
        '/' => 63,
        '=' => 0,
        _ => -1,
    };
}
