using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Vigil.KernelAbi;

/// <summary>
/// The first eight bytes of a text as one little-endian number (fewer, zero-filled above them, for a shorter text):
/// short names and keys are told apart by one compare of numbers before their bytes are looked at. It sits here, with
/// the record-type names that use it, as the lowest folder of its users (Records' SyscallFields is the other).
/// </summary>
internal static class LeadingWord
{
    // Inlined: the in-order read of a SYSCALL record compares a word for each of its fields.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(ReadOnlySpan<byte> text)
    {
        if (text.Length >= sizeof(ulong))
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(text);
        }

        ulong word = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            word = (word << 8) | text[i];
        }

        return word;
    }
}
