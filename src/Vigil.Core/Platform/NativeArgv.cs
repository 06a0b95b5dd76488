using System.Runtime.InteropServices;

namespace Vigil.Platform;

/// <summary>A NULL-terminated <c>char *argv[]</c> of UTF-8 strings in native memory, as exec and posix_spawn take it.</summary>
internal sealed unsafe class NativeArgv : IDisposable
{
    private readonly byte** _pointers;
    private readonly int _count;

    public NativeArgv(ReadOnlySpan<string> arguments)
    {
        _count = arguments.Length;
        _pointers = (byte**)NativeMemory.AllocZeroed((nuint)(_count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < _count; i++)
        {
            _pointers[i] = (byte*)Marshal.StringToCoTaskMemUTF8(arguments[i]);
        }
    }

    /// <summary>The array; valid until <see cref="Dispose"/>.</summary>
    public byte** Pointer => _pointers;

    public void Dispose()
    {
        for (var i = 0; i < _count; i++)
        {
            Marshal.FreeCoTaskMem((nint)_pointers[i]);
        }

        NativeMemory.Free(_pointers);
    }
}
