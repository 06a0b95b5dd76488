using Vigil.Flags;
using Vigil.Pipeline;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Pipeline;

/// <summary>osquery's socket_events flags as they reach the table's options.</summary>
public sealed class SocketFlagsTests
{
    [Fact]
    public void Null_accepts_are_kept_only_when_the_flag_asks()
    {
        var byDefault = Options().Sockets;
        var asked = Options("--audit_allow_sockets=true", "--audit_allow_null_accept_socket_events=true").Sockets;

        Assert.False(byDefault.AllowNullAccept);
        Assert.True(asked.AllowNullAccept);
        Assert.False(SocketEventsTable.TryGetStatus(byDefault, succeeded: false, exit: -11, "accept", out _, out _));
        Assert.True(SocketEventsTable.TryGetStatus(asked, succeeded: false, exit: -11, "accept", out var status, out var success));
        Assert.Equal(("no_client", 1), (status, success));
        Assert.Equal("Allow non-blocking accept() syscalls that returned EAGAIN/EWOULDBLOCK", VigilFlags.AuditAllowNullAcceptSocketEvents.Description);
    }

    private static IngestOptions Options(params string[] flags) => IngestOptions.FromFlags(FlagParser.ForVigil().Parse(flags).Values);
}
