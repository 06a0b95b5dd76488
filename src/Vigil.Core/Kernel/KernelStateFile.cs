using Vigil.Netlink;

namespace Vigil.Kernel;

/// <summary>
/// The kernel audit state found before the daemon's first start, kept beside the database until a clean stop. A run
/// that dies leaves it behind, so the next start restores the original state on stop, not the state the crash left.
/// </summary>
public static class KernelStateFile
{
    /// <summary>The file kept for the database at <paramref name="databasePath"/>.</summary>
    public static string PathFor(string databasePath) => databasePath + ".audit-state";

    /// <summary>
    /// The state saved at the first start, for an image of the daemon that takes over a running session
    /// (<see cref="KernelHandover"/>): its rules are the session's, not leftovers, so nothing is deleted.
    /// </summary>
    public static AuditState Saved(string path) => AuditState.Deserialize(File.ReadAllBytes(path));

    /// <summary>
    /// Removes rules a dead run left (key <c>vigil</c>), then returns the state to restore on stop: the saved one when
    /// a file exists, else the state now, which the caller saves with <see cref="Save"/>. <paramref name="recovered"/>
    /// tells which.
    /// </summary>
    public static AuditState Prepare(string path, out bool recovered, out int leftoverRules)
    {
        using var client = AuditClient.OpenUnicast();
        leftoverRules = AuditState.DeleteVigilRules(client);
        recovered = File.Exists(path);
        return recovered ? Saved(path) : AuditState.Capture(client);
    }

    /// <summary>
    /// Saves <paramref name="state"/> (0600) through a temporary file, so a crash leaves either no file or a whole one;
    /// throws <see cref="IOException"/> when the disk cannot take it.
    /// </summary>
    public static void Save(string path, AuditState state)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var file = new FileStream(temporary, options))
            {
                file.Write(state.Serialize());
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
