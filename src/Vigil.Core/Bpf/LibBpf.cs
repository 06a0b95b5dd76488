using System.Runtime.InteropServices;

namespace Vigil.Bpf;

/// <summary>
/// The libbpf 1.x calls the loader needs (include/bpf/libbpf.h, bpf.h), from <c>libbpf.so.1</c>. libbpf rather
/// than the bpf() system call: loading a CO-RE object means parsing its ELF and BTF, relocating every field access
/// against the running kernel's BTF and resolving tracepoint BTF ids, which libbpf does and a second implementation
/// would get wrong on some kernel. The library is opened on first use only, so Vigil without the BPF backend does
/// not need it. Pointer-returning calls give NULL and set errno; int-returning ones give -errno.
/// </summary>
internal static unsafe partial class LibBpf
{
    public const string Library = "libbpf.so.1";

    /// <summary>LIBBPF_WARN (enum libbpf_print_level).</summary>
    public const int PrintWarn = 0;

    /// <summary>BPF_ANY (include/uapi/linux/bpf.h): create or update a map element.</summary>
    public const ulong BpfAny = 0;

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint bpf_object__open_mem(void* objectBuffer, nuint size, nint options);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int bpf_object__load(nint bpfObject);

    [LibraryImport(Library)]
    public static partial void bpf_object__close(nint bpfObject);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint bpf_object__find_map_by_name(nint bpfObject, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint bpf_object__find_program_by_name(nint bpfObject, string name);

    [LibraryImport(Library)]
    public static partial int bpf_map__set_max_entries(nint map, uint maxEntries);

    [LibraryImport(Library)]
    public static partial int bpf_map__fd(nint map);

    [LibraryImport(Library)]
    public static partial int bpf_program__set_autoload(nint program, [MarshalAs(UnmanagedType.U1)] bool autoload);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint bpf_program__attach(nint program);

    [LibraryImport(Library)]
    public static partial int bpf_link__destroy(nint link);

    [LibraryImport(Library)]
    public static partial int bpf_map_update_elem(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Library)]
    public static partial int bpf_map_lookup_elem(int fd, void* key, void* value);

    [LibraryImport(Library)]
    public static partial int bpf_map_delete_elem(int fd, void* key);

    [LibraryImport(Library)]
    public static partial int libbpf_num_possible_cpus();

    [LibraryImport(Library)]
    public static partial nint libbpf_set_print(delegate* unmanaged<int, byte*, nint, int> print);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint ring_buffer__new(int mapFd, delegate* unmanaged<nint, byte*, nuint, int> sample, nint context, nint options);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ring_buffer__poll(nint ringBuffer, int timeoutMilliseconds);

    [LibraryImport(Library)]
    public static partial void ring_buffer__free(nint ringBuffer);
}
