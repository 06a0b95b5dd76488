namespace Vigil.Tables;

/// <summary>
/// A process's cgroup path and the container it names, from the text of <c>/proc/PID/cgroup</c>. On a v2 host the
/// file has one line (<c>0::/path</c>); on a v1 or hybrid host every hierarchy has its own line and they need not
/// agree (this project's CI host keeps its own containers in the memory controller only), so the line that names a
/// container wins, then systemd's named hierarchy (where systemd and the runtimes place their scopes), then the
/// unified one, then the first.
/// </summary>
public static class ProcessCgroup
{
    private const int IdLength = 64;

    /// <summary>The chosen path and the 64-hex container id in it ('' outside containers; both '' for no text).</summary>
    public static (string Path, string ContainerId) Parse(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> systemd = default, unified = default, first = default;
        bool haveSystemd = false, haveUnified = false, haveFirst = false;
        foreach (var range in text.Split('\n'))
        {
            var line = text[range];
            var colon = line.IndexOf(':');
            var second = colon < 0 ? -1 : line[(colon + 1)..].IndexOf(':');
            if (second < 0)
            {
                continue;
            }

            var controllers = line.Slice(colon + 1, second);
            var path = line[(colon + second + 2)..];
            if (TryFindContainerId(path, out var id))
            {
                return (path.ToString(), id.ToString());
            }

            if (!haveFirst)
            {
                first = path;
                haveFirst = true;
            }

            if (controllers.SequenceEqual("name=systemd"))
            {
                systemd = path;
                haveSystemd = true;
            }
            else if (controllers.IsEmpty)
            {
                unified = path;
                haveUnified = true;
            }
        }

        var chosen = haveSystemd ? systemd : haveUnified ? unified : first;
        return (chosen.ToString(), string.Empty);
    }

    /// <summary>
    /// The innermost path component that is a Docker, containerd, CRI-O or Podman container: 64 hex digits alone
    /// (<c>/docker/ID</c>, <c>/kubepods/…/ID</c>) or after a runtime's prefix (<c>docker-ID.scope</c>,
    /// <c>cri-containerd-ID.scope</c>, <c>crio-ID.scope</c>, <c>libpod-ID</c>). Conmon's scopes carry the id of the
    /// container they watch but conmon runs outside it, so they name none.
    /// </summary>
    public static bool TryFindContainerId(ReadOnlySpan<char> path, out ReadOnlySpan<char> id)
    {
        while (path.Length > 0)
        {
            var slash = path.LastIndexOf('/');
            var component = path[(slash + 1)..];
            path = slash < 0 ? default : path[..slash];
            if (component.EndsWith(".scope"))
            {
                component = component[..^".scope".Length];
            }

            if (component.Length < IdLength || component.Contains("conmon", StringComparison.Ordinal))
            {
                continue;
            }

            var candidate = component[^IdLength..];
            var prefix = component[..^IdLength];
            if ((prefix.IsEmpty || prefix[^1] == '-') && IsLowerHex(candidate))
            {
                id = candidate;
                return true;
            }
        }

        id = default;
        return false;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text) => !text.ContainsAnyExcept("0123456789abcdef");
}
