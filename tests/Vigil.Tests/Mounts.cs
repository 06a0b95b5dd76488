using System.Diagnostics;
using Xunit;

namespace Vigil.Tests;

/// <summary>
/// Real file systems for fault tests, made with mount(8), losetup(8) and mkfs.ext4(8) (root only): a tmpfs of a chosen
/// size that fills and grows, ext4 on a loop device. Each undoes itself on Dispose, unmounting lazily when a process
/// still holds files there, so a failed test leaves no mount or loop device behind.
/// </summary>
internal static class Mounts
{
    /// <summary>Runs a tool and fails the test with its stderr when it exits non-zero.</summary>
    public static void Run(string file, params string[] args)
    {
        var (code, output, error) = TryRun(file, args);
        Assert.True(code == 0, $"{file} {string.Join(' ', args)}: exit {code}: {error}{output}");
    }

    public static (int Code, string Output, string Error) TryRun(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    /// <summary>Unmounts <paramref name="path"/>, lazily when it is busy.</summary>
    public static void Unmount(string path)
    {
        if (TryRun("umount", path).Code != 0)
        {
            TryRun("umount", "-l", path);
        }
    }

    /// <summary>Writes a file of zeros until the file system is full (the disk of another program filling up); returns its path.</summary>
    public static string Fill(string directory)
    {
        var path = Path.Combine(directory, "filler");
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // ENOSPC, or EIO from a loop device whose backing store is full: the aim either way.
        }

        return path;
    }
}

/// <summary>A tmpfs of <c>size</c> mounted on a directory (created when missing); grown or shrunk with <see cref="Resize"/>.</summary>
internal sealed class Tmpfs : IDisposable
{
    public Tmpfs(string directory, string size)
    {
        Path = Directory.CreateDirectory(directory).FullName;
        Mounts.Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", Path);
    }

    public string Path { get; }

    /// <summary><c>mount -o remount,size=</c>: space returns (or goes) at once, files kept.</summary>
    public void Resize(string size) => Mounts.Run("mount", "-o", $"remount,size={size}", Path);

    public void Dispose() => Mounts.Unmount(Path);
}

/// <summary>
/// An ext4 file system on a loop device over a sparse image file, mounted on a directory: the image may live on a
/// tmpfs smaller than it, so that writes past what that tmpfs holds fail on the device.
/// </summary>
internal sealed class LoopExt4 : IDisposable
{
    private readonly string _image;
    private readonly string? _device;

    public LoopExt4(string image, string size, string directory, string[] mkfsOptions, string mountOptions)
    {
        _image = image;
        Path = Directory.CreateDirectory(directory).FullName;
        Mounts.Run("truncate", "-s", size, image);
        Mounts.Run("mkfs.ext4", ["-q", "-F", .. mkfsOptions, image]);
        var (code, output, error) = Mounts.TryRun("losetup", "-f", "--show", image);
        Assert.True(code == 0, $"losetup: {error}");
        _device = output.Trim();
        try
        {
            Mounts.Run("mount", "-o", mountOptions, _device, Path);
        }
        catch
        {
            Mounts.TryRun("losetup", "-d", _device);
            throw;
        }
    }

    public string Path { get; }

    /// <summary>The loop device's name under /sys/fs/ext4.</summary>
    public string DeviceName => System.IO.Path.GetFileName(_device!);

    /// <summary>Remounts read-only or read-write; false, with mount's complaint, when the kernel refuses.</summary>
    public (bool Done, string Error) TryRemount(string mode)
    {
        var (code, _, error) = Mounts.TryRun("mount", "-o", $"remount,{mode}", Path);
        return (code == 0, error);
    }

    public void Dispose()
    {
        Mounts.Unmount(Path);
        Mounts.TryRun("losetup", "-d", _device!);
        File.Delete(_image);
    }
}
