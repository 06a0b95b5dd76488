using System.Buffers.Binary;

namespace Vigil.Tables;

/// <summary>
/// The SMBIOS tables the kernel exports (/sys/firmware/dmi/tables/DMI, readable by root only), walked as osquery's
/// SMBIOSParser walks them. osquery falls back to reading them from physical memory (EFI systab, /dev/mem); Vigil
/// does not, so without the sysfs file there are none.
/// </summary>
internal static class SmbiosTables
{
    /// <summary>The sysfs file of the tables.</summary>
    public const string Path = "/sys/firmware/dmi/tables/DMI";

    /// <summary>Structure types (DMTF DSP0134): BIOS Information, System Information, Baseboard Information.</summary>
    public const byte Bios = 0;
    public const byte System = 1;
    public const byte Baseboard = 2;

    /// <summary>
    /// The structures of <paramref name="path"/>: a 4-byte header (type, length, handle), the formatted area of that
    /// length, then strings up to a double NUL; the walk stops at a header that does not fit or is all zero. Null when
    /// the file cannot be read.
    /// </summary>
    public static List<(byte Type, byte[] Structure, byte[] Strings)>? Read(string path)
    {
        byte[] tables;
        try
        {
            tables = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var structures = new List<(byte, byte[], byte[])>();
        var start = 0;
        while (start + 4 <= tables.Length)
        {
            var length = tables[start + 1];
            if (start + length > tables.Length || (length == 0 && BinaryPrimitives.ReadUInt16LittleEndian(tables.AsSpan(start + 2)) == 0))
            {
                break;
            }

            var next = start + length;
            for (; next + 4 <= tables.Length; next++)
            {
                if (tables[next] == 0 && tables[next + 1] == 0)
                {
                    next += 2;
                    break;
                }
            }

            next = Math.Min(next, tables.Length);
            structures.Add((tables[start], tables[start..(start + length)], tables[(start + length)..next]));
            start = next;
        }

        return structures;
    }

    /// <summary>
    /// osquery's dmiString for the string whose number is at <paramref name="offset"/> of the structure: that string
    /// (numbered from 1) of the string area, trailing whitespace removed; '' for number 0, a number past the area, or
    /// an area that does not end in NUL.
    /// </summary>
    public static string String(byte[] structure, byte[] strings, int offset)
    {
        var index = offset < structure.Length ? structure[offset] : 0;
        if (index == 0 || strings.Length == 0 || strings[^1] != 0)
        {
            return string.Empty;
        }

        ReadOnlySpan<byte> rest = strings;
        for (var i = 1; i < index; i++)
        {
            var end = rest.IndexOf((byte)0);
            if (end + 1 >= rest.Length)
            {
                return string.Empty;
            }

            rest = rest[(end + 1)..];
        }

        return HostFacts.CString(rest).TrimEnd(' ', '\t', '\n', '\v', '\f', '\r');
    }
}
