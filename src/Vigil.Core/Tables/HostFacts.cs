using System.Buffers;
using System.Runtime.InteropServices;
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
    /// <remarks>
    /// Read with open(2) and read(2) rather than <see cref="File.ReadAllText(string)"/>, which throws for a missing
    /// file: the process tree reads /proc files of processes that have often exited already, and the exceptions were a
    /// quarter of the daemon's CPU at the stress generator's maximum rate. A UTF-8 byte order mark is dropped, as
    /// ReadAllText drops it.
    /// </remarks>
    public static string? ReadText(string file)
    {
        var fd = Libc.open(file, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan().CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                nint read;
                fixed (byte* free = &buffer[length])
                {
                    read = Libc.read(fd, free, buffer.Length - length);
                }

                if (read == 0)
                {
                    break;
                }

                if (read < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Libc.EINTR)
                    {
                        continue;
                    }

                    return null;
                }

                length += (int)read;
            }

            var text = buffer.AsSpan(0, length);
            return Encoding.UTF8.GetString(text.StartsWith(Encoding.UTF8.Preamble) ? text[Encoding.UTF8.Preamble.Length..] : text);
        }
        finally
        {
            Libc.close(fd);
            ArrayPool<byte>.Shared.Return(buffer);
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
