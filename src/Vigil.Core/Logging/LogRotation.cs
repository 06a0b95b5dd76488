namespace Vigil.Logging;

/// <summary>
/// osquery's filesystem log rotation (plugins/logger/filesystem_logger.cpp, <c>LogRotate::rotate</c>): the live file becomes
/// <c>.1</c>, each <c>.N</c> becomes <c>.N+1</c>, and files past <c>max_files</c> are deleted. osquery compresses <c>.2</c> and older
/// with zstd (<c>.N.zst</c>); Vigil keeps every rotated file plain, so they stay readable with ordinary tools.
/// </summary>
public static class LogRotation
{
    /// <summary>Rotates <paramref name="path"/>, keeping at most <paramref name="maxFiles"/> rotated files.</summary>
    public static void Rotate(string path, int maxFiles)
    {
        int next = 1;
        while (File.Exists(RotatedName(path, next)))
        {
            next++;
        }

        for (int i = next - 1; i >= 1; i--)
        {
            File.Move(RotatedName(path, i), RotatedName(path, i + 1), overwrite: true);
        }

        for (int i = next; i > maxFiles; i--)
        {
            File.Delete(RotatedName(path, i));
        }

        File.Move(path, RotatedName(path, 1), overwrite: true);
    }

    /// <summary>
    /// Takes back the last <paramref name="rotations"/> rotations of <paramref name="path"/>: the live file and the
    /// rotated files newer than <c>.</c><paramref name="rotations"/> are deleted, and each older one takes the name it
    /// had before (<c>.N</c> becomes <c>.N-rotations</c>, <c>.</c><paramref name="rotations"/> the live file). Cut short,
    /// it is finished by being called again with the index <see cref="Find"/> gives: the deletions come first.
    /// </summary>
    public static void Undo(string path, int rotations)
    {
        File.Delete(path);
        for (int i = 1; i < rotations; i++)
        {
            File.Delete(RotatedName(path, i));
        }

        File.Move(RotatedName(path, rotations), path);
        for (int i = rotations + 1; File.Exists(RotatedName(path, i)); i++)
        {
            File.Move(RotatedName(path, i), RotatedName(path, i - rotations));
        }
    }

    /// <summary>
    /// The index of a rotated file of <paramref name="path"/> that <paramref name="match"/> accepts, or 0. Every rotated
    /// file in the directory is looked at, not only the run from <c>.1</c>: an <see cref="Undo"/> cut short leaves a gap
    /// there.
    /// </summary>
    public static int Find(string path, Func<string, bool> match)
    {
        var prefix = Path.GetFileName(path) + ".";
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(Path.GetFullPath(path))!, prefix + "*"))
        {
            var name = Path.GetFileName(file);
            // The pattern also matches the live file itself (a trailing ".*" matches no extension too).
            if (name.Length > prefix.Length && int.TryParse(name.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                && index > 0 && match(file))
            {
                return index;
            }
        }

        return 0;
    }

    /// <summary>The name of the <paramref name="index"/>-th rotated file.</summary>
    public static string RotatedName(string path, int index) => path + "." + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
