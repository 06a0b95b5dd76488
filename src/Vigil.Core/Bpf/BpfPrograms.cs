using System.Runtime.InteropServices;
using System.Text;
using Vigil.Platform;

namespace Vigil.Bpf;

/// <summary>
/// Vigil's BPF object loaded into the kernel: its maps, programs and the links that attach them. Everything lives only
/// in this process's file descriptors (nothing is pinned, bpffs is not needed), so the kernel frees it when the
/// process ends however it ends; <see cref="Dispose"/> detaches and unloads it earlier, on every orderly exit path.
/// </summary>
public sealed unsafe class BpfPrograms : IDisposable
{
    /// <summary>The embedded object's resource name (src/Vigil.Core/Vigil.Core.csproj).</summary>
    public const string ObjectResource = "vigil.bpf.o";

    /// <summary>Where the kernel publishes its own BTF (CONFIG_DEBUG_INFO_BTF), which CO-RE and tp_btf programs need.</summary>
    public const string KernelBtfPath = "/sys/kernel/btf/vmlinux";

    /// <summary>The message when the process may not load BPF programs.</summary>
    public const string PermissionMessage =
        "loading BPF programs needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)";

    private const int Eperm = 1;
    private const int Eacces = 13;
    private const int SettingsSize = 20;
    private const int CounterCount = 5;

    private static readonly Lock LoadGate = new();
    private static readonly StringBuilder LibbpfLog = new();

    private readonly List<nint> _links = [];
    private IReadOnlyList<(BpfExclusionKey Key, uint Kinds)> _exclusions = [];
    private IReadOnlyList<string> _watched = [];
    private uint _selfPid;
    private uint _kindMask;
    private uint _fileOptions;
    private uint _watchVersion;
    private nint _object;
    private int _disposed;

    private BpfPrograms(nint bpfObject, int possibleCpus)
    {
        _object = bpfObject;
        PossibleCpus = possibleCpus;
    }

    /// <summary>The ring buffer map's descriptor, for <see cref="BpfRingReader"/>.</summary>
    public int EventsFd { get; private set; }

    /// <summary>Programs attached.</summary>
    public int Links => _links.Count;

    /// <summary>CPUs the kernel may bring online; per-CPU maps hold one value for each.</summary>
    public int PossibleCpus { get; }

    private int CountersFd { get; set; }

    /// <summary>Whether this build carries the BPF object (it is left out when clang or bpftool were missing).</summary>
    public static bool IsEmbedded => typeof(BpfPrograms).Assembly.GetManifestResourceInfo(ObjectResource) is not null;

    /// <summary>
    /// Loads the object, attaches the programs the options need, fills the exclusion map and then the settings, which
    /// arm the programs (until then they report nothing). Throws <see cref="BpfException"/> with one line saying why
    /// it cannot, having released whatever it had loaded.
    /// </summary>
    public static BpfPrograms Load(BpfLoadOptions options)
    {
        var image = ReadObject();
        if (!File.Exists(KernelBtfPath))
        {
            throw new BpfException($"this kernel has no BTF ({KernelBtfPath} is missing; the BPF backend needs CONFIG_DEBUG_INFO_BTF=y)");
        }

        lock (LoadGate)
        {
            LibbpfLog.Clear();
            BpfPrograms? programs = null;
            try
            {
                SetPrint();
                nint handle;
                fixed (byte* bytes = image)
                {
                    handle = LibBpf.bpf_object__open_mem(bytes, (nuint)image.Length, 0);
                }

                if (handle == 0)
                {
                    throw Failure("opening the BPF object", Marshal.GetLastPInvokeError());
                }

                programs = new BpfPrograms(handle, LibBpf.libbpf_num_possible_cpus());
                programs.LoadAndAttach(options);
                return programs;
            }
            catch (DllNotFoundException)
            {
                programs?.Dispose();
                throw new BpfException($"{LibBpf.Library} is not installed (apt-get install libbpf1)");
            }
            catch
            {
                programs?.Dispose();
                throw;
            }
        }
    }

    /// <summary>The kernel's counters, each summed over the CPUs.</summary>
    public BpfKernelCounters ReadCounters()
    {
        var values = stackalloc long[CounterCount];
        var perCpu = stackalloc long[PossibleCpus];
        for (var key = 0u; key < CounterCount; key++)
        {
            if (LibBpf.bpf_map_lookup_elem(CountersFd, &key, perCpu) != 0)
            {
                continue;
            }

            for (var cpu = 0; cpu < PossibleCpus; cpu++)
            {
                values[key] += perCpu[cpu];
            }
        }

        return new BpfKernelCounters(values[0], values[1], values[2], values[3], values[4]);
    }

    /// <summary>Detaches every program, then unloads the programs and maps.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var link in _links)
        {
            LibBpf.bpf_link__destroy(link);
        }

        _links.Clear();
        LibBpf.bpf_object__close(_object);
        _object = 0;
    }

    private static byte[] ReadObject()
    {
        using var stream = typeof(BpfPrograms).Assembly.GetManifestResourceStream(ObjectResource)
            ?? throw new BpfException("this build of Vigil has no BPF object (clang, libbpf-dev or bpftool were missing when it was built; bash tools/build-bpf.sh installs them)");
        var image = new byte[stream.Length];
        stream.ReadExactly(image);
        return image;
    }

    private void LoadAndAttach(BpfLoadOptions options)
    {
        SetMaxEntries("vigil_events", options.RingBufferBytes);
        SetMaxEntries("vigil_scratch", (uint)PossibleCpus);
        SetMaxEntries("vigil_inflight", options.InflightEntries);
        // File calls are read as they return, but for close, which needs its file before the descriptor is gone.
        var calls = options.Wants(BpfEventKind.Execve) || options.Wants(BpfEventKind.Connect) || options.Wants(BpfEventKind.Bind)
            || options.Wants(BpfEventKind.Listen) || options.Wants(BpfEventKind.Accept);
        var files = options.Wants(BpfEventKind.File);
        var attached = new (string Name, bool Wanted)[]
        {
            ("vigil_sys_enter", calls || (files && (options.FileOptions & BpfLoadOptions.ReportDescriptors) != 0)),
            ("vigil_sys_exit", calls), ("vigil_file_exit", files), ("vigil_exit", options.Wants(BpfEventKind.Exit)),
        };
        foreach (var (name, wanted) in attached)
        {
            SetAutoload(name, wanted);
        }

        var error = LibBpf.bpf_object__load(_object);
        if (error != 0)
        {
            throw Failure("loading the BPF programs", -error);
        }

        EventsFd = MapFd("vigil_events");
        CountersFd = MapFd("vigil_counters");
        foreach (var (name, wanted) in attached)
        {
            if (!wanted)
            {
                continue;
            }

            var link = LibBpf.bpf_program__attach(Program(name));
            if (link == 0)
            {
                throw Failure($"attaching {name}", Marshal.GetLastPInvokeError());
            }

            _links.Add(link);
        }

        (_selfPid, _kindMask, _fileOptions) = (options.SelfPid, options.KindMask, options.FileOptions);
        StoreWatched(options.WatchedDirectories);
        _watched = options.WatchedDirectories;
        StoreExclusions(options.Exclusions);
        WriteSettings(options.SelectorSets);
        _exclusions = options.Exclusions;
    }

    /// <summary>
    /// Replaces the exclusion map's entries (a config reload): the new entries are stored and looked up before the
    /// stale ones are deleted, so no excluded task reports in between. Throws <see cref="BpfException"/>.
    /// </summary>
    public void ReplaceExclusions(IReadOnlyList<(BpfExclusionKey Key, uint Kinds)> exclusions)
    {
        StoreExclusions(exclusions);
        WriteSettings(BpfLoadOptions.SelectorSetsOf(_exclusions) | BpfLoadOptions.SelectorSetsOf(exclusions));
        var fd = MapFd("vigil_exclude");
        var kept = new HashSet<BpfExclusionKey>();
        foreach (var (key, _) in exclusions)
        {
            kept.Add(key);
        }

        foreach (var (key, _) in _exclusions)
        {
            var stale = key;
            if (!kept.Contains(stale))
            {
                LibBpf.bpf_map_delete_elem(fd, &stale);
            }
        }

        WriteSettings(BpfLoadOptions.SelectorSetsOf(exclusions));
        _exclusions = exclusions;
    }

    /// <summary>
    /// Replaces the watched directories (a config reload): the new ones are stored before the ones no longer watched
    /// are deleted, so a file under both is reported throughout. Throws <see cref="BpfException"/>.
    /// </summary>
    public void ReplaceWatched(IReadOnlyList<string> directories)
    {
        // Each change is followed by a new version in the settings, which makes the programs judge every directory
        // again: first so that the new directories are seen, then so that the old ones are no longer.
        StoreWatched(directories);
        _watchVersion++;
        WriteSettings(BpfLoadOptions.SelectorSetsOf(_exclusions));
        var fd = MapFd("vigil_watched");
        var kept = new HashSet<string>(directories, StringComparer.Ordinal);
        foreach (var stale in _watched)
        {
            if (!kept.Contains(stale))
            {
                var key = WatchedKey.For(stale);
                LibBpf.bpf_map_delete_elem(fd, &key);
            }
        }

        _watched = directories;
        _watchVersion++;
        WriteSettings(BpfLoadOptions.SelectorSetsOf(_exclusions));
    }

    private void StoreWatched(IReadOnlyList<string> directories)
    {
        var fd = MapFd("vigil_watched");
        foreach (var directory in directories)
        {
            var key = WatchedKey.For(directory);
            var value = 0u;
            var result = LibBpf.bpf_map_update_elem(fd, &key, &value, LibBpf.BpfAny);
            if (result != 0)
            {
                throw Failure($"watching {directory} ({directories.Count} directories, at most {BpfLoadOptions.MaxWatched})", -result);
            }
        }
    }

    private void StoreExclusions(IReadOnlyList<(BpfExclusionKey Key, uint Kinds)> exclusions)
    {
        var fd = MapFd("vigil_exclude");
        foreach (var (key, kinds) in exclusions)
        {
            var entryKey = key;
            var entryKinds = kinds;
            var result = LibBpf.bpf_map_update_elem(fd, &entryKey, &entryKinds, LibBpf.BpfAny);
            if (result != 0)
            {
                throw Failure($"storing {exclusions.Count} exclusion entries (at most {BpfLoadOptions.MaxExclusions})", -result);
            }
        }
    }

    // The settings arm the programs: until they are written, the programs report nothing.
    private void WriteSettings(uint selectorSets)
    {
        var settings = stackalloc uint[SettingsSize / sizeof(uint)];
        settings[0] = _selfPid;
        settings[1] = _kindMask;
        settings[2] = selectorSets;
        settings[3] = _fileOptions;
        settings[4] = _watchVersion;
        var zero = 0u;
        var armed = LibBpf.bpf_map_update_elem(MapFd("vigil_settings"), &zero, settings, LibBpf.BpfAny);
        if (armed != 0)
        {
            throw Failure("arming the BPF programs", -armed);
        }
    }

    private nint Map(string name)
    {
        var map = LibBpf.bpf_object__find_map_by_name(_object, name);
        return map != 0 ? map : throw new BpfException($"the BPF object has no map {name}");
    }

    private int MapFd(string name) => LibBpf.bpf_map__fd(Map(name));

    private nint Program(string name)
    {
        var program = LibBpf.bpf_object__find_program_by_name(_object, name);
        return program != 0 ? program : throw new BpfException($"the BPF object has no program {name}");
    }

    private void SetMaxEntries(string map, uint entries)
    {
        var error = LibBpf.bpf_map__set_max_entries(Map(map), entries);
        if (error != 0)
        {
            throw Failure($"sizing {map} to {entries}", -error);
        }
    }

    private void SetAutoload(string program, bool load) => LibBpf.bpf_program__set_autoload(Program(program), load);

    private static BpfException Failure(string step, int errno)
    {
        if (errno is Eperm or Eacces)
        {
            return new BpfException(PermissionMessage);
        }

        var detail = LastLibbpfLine();
        return new BpfException($"{step} failed: {Marshal.GetPInvokeErrorMessage(errno)}{(detail.Length > 0 ? $" (libbpf: {detail})" : "")}");
    }

    private static string LastLibbpfLine()
    {
        var text = LibbpfLog.ToString().TrimEnd();
        var start = text.LastIndexOf('\n') + 1;
        return text[start..];
    }

    private static void SetPrint() => LibBpf.libbpf_set_print(&OnLibbpfMessage);

    // libbpf prints its warnings (verifier logs among them) to stderr by default; they are kept instead, the last one
    // for the error message of a failed load.
    [UnmanagedCallersOnly]
    private static int OnLibbpfMessage(int level, byte* format, nint arguments)
    {
        if (level != LibBpf.PrintWarn)
        {
            return 0;
        }

        const int size = 512;
        var line = stackalloc byte[size];
        var length = Libc.vsnprintf(line, size, format, arguments);
        if (length > 0 && LibbpfLog.Length < 64 * 1024)
        {
            LibbpfLog.Append(Encoding.UTF8.GetString(line, Math.Min(length, size - 1)));
        }

        return 0;
    }

    /// <summary>struct vigil_path_key: a directory's path with its trailing '/', the prefix length in bits.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct WatchedKey
    {
        private const int Capacity = 256;

        private uint _prefixBits;
        private fixed byte _data[Capacity];

        public static WatchedKey For(string directory)
        {
            var spelled = directory.EndsWith('/') ? directory : directory + "/";
            var key = default(WatchedKey);
            var length = Encoding.UTF8.GetByteCount(spelled);
            if (length > Capacity)
            {
                throw new BpfException($"cannot watch {directory}: the BPF programs compare the first {Capacity} bytes of a path");
            }

            Encoding.UTF8.GetBytes(spelled, new Span<byte>(key._data, Capacity));
            key._prefixBits = (uint)length * 8;
            return key;
        }
    }
}
