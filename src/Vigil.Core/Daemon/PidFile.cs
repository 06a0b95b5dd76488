using System.Globalization;
using System.Text;

namespace Vigil.Daemon;

/// <summary>
/// <c>--pidfile</c>: the daemon's process id, in a file while it runs, and that file's exclusive lock (flock), so a
/// second daemon on the same pidfile refuses to start instead of taking over the first one's store and kernel rules.
/// </summary>
public sealed class PidFile
{
    /// <summary>EWOULDBLOCK: on Unix the HResult of the IOException .NET throws when flock finds the file locked.</summary>
    private const int Locked = 11;

    private FileStream? _file;

    private PidFile(string path)
    {
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Whether the file holds the id; until then the daemon tries again every tick.</summary>
    public bool Written { get; private set; }

    /// <summary>
    /// Takes the file's lock; throws <see cref="IOException"/> when another process holds it. A file that cannot be
    /// opened now (a full disk) is opened, and locked, by <see cref="Write"/> later.
    /// </summary>
    public static PidFile Lock(string path)
    {
        var pidfile = new PidFile(path);
        try
        {
            pidfile.Open();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException { HResult: not Locked })
        {
        }

        return pidfile;
    }

    /// <summary>Writes the id; throws <see cref="IOException"/> when the disk cannot take it.</summary>
    public void Write()
    {
        var file = _file ?? Open();
        file.SetLength(0);
        file.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        file.Flush();
        Written = true;
    }

    /// <summary>Removes the file, also one left by an earlier run when this one could not write it, then lets the lock go.</summary>
    public void Remove()
    {
        File.Delete(Path);
        Release();
    }

    /// <summary>Lets the lock go and keeps the file: a restart in place writes the same id into it again.</summary>
    public void Release()
    {
        _file?.Dispose();
        _file = null;
    }

    // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix.
    private FileStream Open()
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        try
        {
            _file = new FileStream(Path, options);
            return _file;
        }
        catch (IOException e) when (e.HResult == Locked)
        {
            throw new IOException($"another vigil daemon is running with --pidfile={Path} (it holds the file's lock)", Locked);
        }
    }
}
