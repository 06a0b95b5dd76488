using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>File times from statx(2); .NET's File APIs have no status-change time.</summary>
public sealed class StatxFileTimes : IFileTimes
{
    public static StatxFileTimes Instance { get; } = new();

    private StatxFileTimes()
    {
    }

    public bool TryGet(string path, out long accessTime, out long modifyTime, out long changeTime, out uint mode)
    {
        if (!Libc.TryStat(path, out var result))
        {
            accessTime = modifyTime = changeTime = 0;
            mode = 0;
            return false;
        }

        mode = result.stx_mode;
        accessTime = result.stx_atime.tv_sec;
        modifyTime = result.stx_mtime.tv_sec;
        changeTime = result.stx_ctime.tv_sec;
        return true;
    }
}
