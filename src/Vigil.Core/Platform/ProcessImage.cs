using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Platform;

/// <summary>
/// This process's own image: the command line it was started with, its C library environment, and execvp(3) of a new
/// image in its place (same pid; descriptors without FD_CLOEXEC stay open).
/// </summary>
public static unsafe class ProcessImage
{
    /// <summary>argv as the process was started (/proc/self/cmdline): for a JIT build, the dotnet host and vigil.dll first.</summary>
    public static string[] CommandLine() =>
        Encoding.UTF8.GetString(File.ReadAllBytes("/proc/self/cmdline")).TrimEnd('\0').Split('\0');

    /// <summary>
    /// Sets <paramref name="name"/> (null: removes it) in the environment the C library passes to a new image, which
    /// Environment.SetEnvironmentVariable does not reach; the runtime's copy is changed too.
    /// </summary>
    public static void SetEnvironment(string name, string? value)
    {
        if (value is null)
        {
            Libc.unsetenv(name);
        }
        else
        {
            Libc.setenv(name, value, 1);
        }

        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Executes argv[0], searched in PATH, with <paramref name="argv"/>; returns only when that fails, with the errno.</summary>
    public static int Exec(ReadOnlySpan<string> argv)
    {
        using var native = new NativeArgv(argv);
        Libc.execvp(native.Pointer[0], native.Pointer);
        return Marshal.GetLastPInvokeError();
    }
}
