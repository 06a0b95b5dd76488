using Vigil.Netlink;

namespace Vigil.Daemon;

/// <summary>
/// The kernel audit state found before the daemon's first start, kept beside the database until a clean stop. A run
/// that dies leaves it behind, so the next start restores the original state on stop, not the state the crash left.
/// </summary>
public static class KernelStateFile
{
    /// <summary>The file kept for the database at <paramref name="databasePath"/>.</summary>
    public static string PathFor(string databasePath) => databasePath + ".audit-state";

    /// <summary>
    /// Removes rules a dead run left (key <c>vigil</c>), then returns the state to restore on stop: the saved one when
    /// a file exists, else the state now, which is saved (0600) first. <paramref name="recovered"/> tells which.
    /// </summary>
    public static AuditState Prepare(string path, out bool recovered, out int leftoverRules)
    {
        using var client = AuditClient.OpenUnicast();
        leftoverRules = AuditState.DeleteVigilRules(client);
        if (File.Exists(path))
        {
            recovered = true;
            return AuditState.Deserialize(File.ReadAllBytes(path));
        }

        recovered = false;
        var state = AuditState.Capture(client);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            file.Write(state.Serialize());
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return state;
    }
}
