namespace Vigil.Tables;

/// <summary>The times of a file, for process_events' atime/mtime/ctime (injectable so tests are exact).</summary>
public interface IFileTimes
{
    /// <summary>Access, modification and status-change times in seconds since the epoch; false when stat fails.</summary>
    bool TryGet(string path, out long accessTime, out long modifyTime, out long changeTime);
}
