using System.Security.Cryptography;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// process_events.exe_sha256 (<c>--audit_hash_executables</c>), filled where rows wait for the store, on the store's
/// writer thread rather than the ingest thread. The row builder leaves the cell NULL only when the file at the row's
/// path is the one the kernel executed (<see cref="ProcessEventsTable"/>); a file is hashed once for its device,
/// inode, size and mtime, only when its mtime is still the row's, and within a budget of bytes per second, so a burst
/// of new executables cannot hold up the store. Anything else gives ''. Not thread-safe: the writer thread owns it.
/// </summary>
public sealed class ExecutableHashes(Func<long>? clockMilliseconds = null) : IRowCompletion
{
    /// <summary>The largest executable hashed, in bytes.</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>The most bytes hashed in a second.</summary>
    public const long BytesPerSecond = 64L * 1024 * 1024;

    // Distinct executables are few; a run of one-off ones just starts the cache again.
    private const int MaxFiles = 4096;

    private readonly Func<long> _clock = clockMilliseconds ?? (() => Environment.TickCount64);
    private readonly Dictionary<FileIdentity, string> _hashes = [];
    private long _budget = BytesPerSecond;
    private long _budgetAt;

    /// <inheritdoc/>
    public void Complete(TableSpec table, Span<ColumnValue> row)
    {
        if (table == ProcessEventsTable.Schema && row[ProcessEventsTable.ExeSha256] is { IsText: true, Text: null })
        {
            row[ProcessEventsTable.ExeSha256] = ColumnValue.Of(Hash(row[ProcessEventsTable.Path].Text ?? string.Empty, row[ProcessEventsTable.Mtime].Integer));
        }
    }

    private string Hash(string path, long rowModifyTime)
    {
        if (!Libc.TryStat(path, out var stat)
            || stat.stx_mtime.tv_sec != rowModifyTime || (long)stat.stx_size > MaxFileBytes)
        {
            return string.Empty;
        }

        var identity = new FileIdentity(stat.stx_dev_major, stat.stx_dev_minor, stat.stx_ino, (long)stat.stx_size, stat.stx_mtime.tv_sec, stat.stx_mtime.tv_nsec);
        if (_hashes.TryGetValue(identity, out var known))
        {
            return known;
        }

        if (!TrySpend(identity.Size))
        {
            return string.Empty;
        }

        string hash;
        try
        {
            using var file = File.OpenRead(path);
            hash = Convert.ToHexStringLower(SHA256.HashData(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }

        if (_hashes.Count >= MaxFiles)
        {
            _hashes.Clear();
        }

        _hashes[identity] = hash;
        return hash;
    }

    // The budget refills to a second's worth each second; a file larger than what is left gives '' until then.
    private bool TrySpend(long bytes)
    {
        var now = _clock();
        if (now - _budgetAt >= 1000)
        {
            (_budget, _budgetAt) = (BytesPerSecond, now);
        }

        if (bytes > _budget)
        {
            return false;
        }

        _budget -= bytes;
        return true;
    }

    private readonly record struct FileIdentity(uint DevMajor, uint DevMinor, ulong Inode, long Size, long ModifySeconds, uint ModifyNanoseconds);
}
