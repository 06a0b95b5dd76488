namespace Vigil.Tables;

/// <summary>The times and mode of a file, for process_events' atime/mtime/ctime and a fork or kill row's mode (injectable so tests are exact).</summary>
public interface IFileTimes
{
    /// <summary>Access, modification and status-change times in seconds since the epoch and st_mode; false when stat fails.</summary>
    bool TryGet(string path, out long accessTime, out long modifyTime, out long changeTime, out uint mode);
}
