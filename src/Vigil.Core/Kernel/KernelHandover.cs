using System.Globalization;
using System.Text;

namespace Vigil.Kernel;

/// <summary>
/// A kernel session passed from one image of the daemon to the next across execve (same pid): the reading socket's
/// descriptor, left open so the records the kernel sends meanwhile wait in it, and the rules the session installed,
/// still in the kernel. The state to restore on the final stop stays in the <see cref="KernelStateFile"/>.
/// </summary>
/// <param name="ReaderFd">The descriptor of the reading socket (see <see cref="Netlink.AuditClient.DetachForExec"/>).</param>
/// <param name="AddedRules">The encoded rules the session installed and deletes again on the final stop.</param>
public sealed record KernelHandover(int ReaderFd, IReadOnlyList<byte[]> AddedRules)
{
    /// <summary>One line of text, to travel in an environment variable: the descriptor, then each rule in hex.</summary>
    public string Encode()
    {
        var text = new StringBuilder(ReaderFd.ToString(CultureInfo.InvariantCulture));
        foreach (var rule in AddedRules)
        {
            text.Append(':').Append(Convert.ToHexString(rule));
        }

        return text.ToString();
    }

    /// <summary>Reads what <see cref="Encode"/> wrote; throws <see cref="FormatException"/> when it is not that.</summary>
    public static KernelHandover Parse(string text)
    {
        var parts = text.Split(':');
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
        {
            throw new FormatException($"kernel handover '{text}' does not start with a descriptor number");
        }

        var rules = new byte[parts.Length - 1][];
        for (var i = 1; i < parts.Length; i++)
        {
            rules[i - 1] = Convert.FromHexString(parts[i]);
        }

        return new KernelHandover(fd, rules);
    }
}
