using Vigil.Rules;

namespace Vigil.Tables;

/// <summary>What process_file_events reports, from the config's file_paths and the FIM flags.</summary>
public sealed class ProcessFileEventsOptions
{
    private FilePatterns _patterns = FilePatterns.None;

    /// <summary>
    /// The config's <c>file_paths</c> and <c>exclude_paths</c>; a row's path (or destination) must be watched. A config
    /// reload sets it while the ingest thread reads it, so it is read and written whole (an immutable value).
    /// </summary>
    public FilePatterns Patterns
    {
        get => Volatile.Read(ref _patterns);
        set => Volatile.Write(ref _patterns, value);
    }

    /// <summary>Read-only opens, reads and their closes (<c>--audit_fim_show_accesses</c>).</summary>
    public bool ShowAccesses { get; init; }

    /// <summary>Rows of descriptors opened before Vigil saw them, from /proc (<c>--audit_show_partial_fim_events</c>).</summary>
    public bool ShowPartial { get; init; }

    /// <summary>
    /// Write, ftruncate and close rows (<c>--audit_fim_fd_events</c>); the audit source gets them from its own rules,
    /// the BPF source reports them only with this.
    /// </summary>
    public bool ShowDescriptors { get; init; }

    /// <summary>mkdir and rmdir rows (<c>--audit_fim_show_directories</c>).</summary>
    public bool ShowDirectories { get; init; }
}
