using System.Runtime.InteropServices;

namespace Vigil.Tables;

/// <summary>File times from statx(2); .NET's File APIs have no status-change time.</summary>
public sealed partial class StatxFileTimes : IFileTimes
{
    public static StatxFileTimes Instance { get; } = new();

    private StatxFileTimes()
    {
    }

    public bool TryGet(string path, out long accessTime, out long modifyTime, out long changeTime)
    {
        if (statx(Statx.AtFdcwd, path, 0, Statx.StatxBasicStats, out var result) != 0)
        {
            accessTime = modifyTime = changeTime = 0;
            return false;
        }

        accessTime = result.stx_atime.tv_sec;
        modifyTime = result.stx_mtime.tv_sec;
        changeTime = result.stx_ctime.tv_sec;
        return true;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int dirfd, string pathname, int flags, uint mask, out Statx statxbuf);
}
