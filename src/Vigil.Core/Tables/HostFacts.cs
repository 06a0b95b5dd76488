using System.Text;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>Facts of the machine that more than one table reports (uname(2)), and the reads of its files.</summary>
public static unsafe class HostFacts
{
    /// <summary>uname's machine (x86_64, aarch64), or '' when uname fails.</summary>
    public static string Machine()
    {
        if (Libc.uname(out var name) != 0)
        {
            return string.Empty;
        }

        return CString(new ReadOnlySpan<byte>(name.machine, Libc.UtsName.FieldLength));
    }

    /// <summary>The text of a fixed-size C buffer up to its first NUL (all of it when there is none), as UTF-8.</summary>
    public static string CString(ReadOnlySpan<byte> buffer)
    {
        var end = buffer.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? buffer : buffer[..end]);
    }

    /// <summary>A file's text, or null when it is missing or unreadable (a process that exited, a file only root reads).</summary>
    public static string? ReadText(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A symbolic link's target, or '' when it is not one or cannot be read.</summary>
    public static string ReadLink(string link)
    {
        try
        {
            return new FileInfo(link).LinkTarget ?? string.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
