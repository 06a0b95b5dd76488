using System.Runtime.InteropServices;

namespace Vigil.Bpf;

/// <summary>struct vigil_exclusion_key (Programs/vigil.bpf.h): the selectors an exclusion entry sets, the others 0.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct BpfExclusionKey(ulong Ino, uint Dev, uint Uid, uint Auid, uint Selectors)
{
    /// <summary>VIGIL_SELECT_EXE, VIGIL_SELECT_UID, VIGIL_SELECT_AUID.</summary>
    public const uint SelectExe = 1;
    public const uint SelectUid = 2;
    public const uint SelectAuid = 4;
}
