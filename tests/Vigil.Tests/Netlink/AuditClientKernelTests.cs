using Vigil.Kernel;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Rules;
using Vigil.Tests.Kernel;
using Vigil.Tests.Rules;
using Xunit;

namespace Vigil.Tests.Netlink;

[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class AuditClientKernelTests(KernelAuditFixture fixture) : IDisposable
{
    public void Dispose() => fixture.Restore();

    [KernelFact]
    public void Status_matches_the_kernel_and_reports_this_kernels_features()
    {
        using var client = AuditClient.OpenUnicast();

        var status = client.GetStatus();
        var features = client.GetFeatures();

        Assert.Equal(fixture.Snapshot!.Status.BacklogLimit, status.BacklogLimit);
        Assert.Equal((AuditFeatureBitmap)0x7f, status.FeatureBitmap);
        Assert.Equal(1u, features.Version);
    }

    // A socket that is not the audit pid receives nothing: Receive waits its timeout (SO_RCVTIMEO), a zero timeout
    // does not block, and a request after a timed wait still gets its reply (the timeout is changed per call).
    [KernelFact]
    public void Receive_with_nothing_to_read_times_out_after_its_timeout_and_requests_still_work()
    {
        using var client = AuditClient.OpenUnicast();
        var buffer = new byte[AuditClient.RecordBufferBytes];

        var waited = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(NetlinkReceiveStatus.Timeout, client.Receive(buffer, 300, out var length));
        Assert.Equal(0, length);
        Assert.InRange(waited.ElapsedMilliseconds, 290, 3000);

        waited.Restart();
        Assert.Equal(NetlinkReceiveStatus.Timeout, client.Receive(buffer, 0, out _));
        Assert.InRange(waited.ElapsedMilliseconds, 0, 200);

        Assert.Equal(fixture.Snapshot!.Status.BacklogLimit, client.GetStatus().BacklogLimit);
    }

    [KernelFact]
    public void A_batch_receive_with_nothing_to_read_times_out_like_a_single_one()
    {
        using var client = AuditClient.OpenUnicast();
        var batch = new DatagramBatch(8);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(NetlinkReceiveStatus.Timeout, client.Receive(batch, 300));
        Assert.Equal((0, 0), (batch.Received, batch.Count));
        Assert.InRange(waited.ElapsedMilliseconds, 290, 3000);
        waited.Restart();
        Assert.Equal(NetlinkReceiveStatus.Timeout, client.Receive(batch, 0));
        Assert.InRange(waited.ElapsedMilliseconds, 0, 200);
    }

    // The records of a few execs, queued while nobody reads, come out of one call, one record per datagram, each
    // exec's EXECVE before its EOE.
    [KernelFact]
    public void A_batch_receive_takes_the_queued_records_of_several_execs_in_one_call()
    {
        var options = new KernelAuditOptions { AllowConfig = true, SocketType = AuditSocketType.Unicast, ProcessEvents = true };
        using var session = KernelAuditSession.Start(options);
        var marker = $"vigil-batch-{Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++)
        {
            KernelRecords.Run("/usr/bin/true", marker);
        }

        Thread.Sleep(500);
        var batch = new DatagramBatch(64);
        Assert.Equal(NetlinkReceiveStatus.Data, session.Reader.Receive(batch, 1000));

        var records = new List<(ushort Type, string Text)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var messages = new NetlinkMessageReader(batch[i]);
            Assert.True(messages.TryRead(out var message));
            records.Add((message.Type, System.Text.Encoding.UTF8.GetString(message.Payload)));
            Assert.False(messages.TryRead(out _));
        }

        Assert.Equal(batch.Received, batch.Count);
        var execs = records.FindAll(r => r.Type == RecordType.Execve && r.Text.Contains(marker, StringComparison.Ordinal));
        Assert.Equal(3, execs.Count);
        foreach (var exec in execs)
        {
            var serial = KernelRecords.Serial(exec.Text);
            var end = records.FindIndex(r => r.Type == RecordType.Eoe && KernelRecords.Serial(r.Text) == serial);
            Assert.True(end > records.IndexOf(exec), $"no EOE after the EXECVE of serial {serial}");
        }
    }

    // The rules as auditctl -l prints them: the never rule's prepend flag is not kept by the kernel.
    private static readonly string[] VigilRulesText =
    [
        "-a never,exit -F arch=b64 -S all -F pid=4242 -F key=vigil",
        "-a always,exit -F arch=b64 -S connect,execve,execveat -F key=vigil",
        "-a always,exit -F arch=b32 -S execve,connect -F key=vigil",
        "-a always,exit -F arch=b32 -S socketcall -F a0=0x12 -F key=vigil",
    ];

    [KernelFact]
    public void A_rule_added_by_vigil_lists_back_byte_identical() => WithVigilRules((client, rules) =>
    {
        var listed = client.ListRuleData();

        Assert.Equal(4, listed.Count);
        var unprepended = rules[0].Encode();
        unprepended[0] &= unchecked((byte)~AuditRule.FilterPrepend);
        Assert.Equal(unprepended.AsSpan(0, AuditRule.EncodedLength(unprepended)).ToArray(), listed[0]);
        Assert.True(AuditRule.SameEncoding(rules[0].Encode(), listed[0]));
        for (var i = 1; i < rules.Length; i++)
        {
            Assert.Equal(rules[i].Encode().AsSpan(0, AuditRule.EncodedLength(rules[i].Encode())).ToArray(), listed[i]);
        }

        Assert.Equal(VigilRulesText, client.ListRules().Select(r => r.ToAuditctlText()).ToArray());
    });

    // Apart from the round trip above so that a machine without auditctl still checks it (the Quick start's
    // dotnet test needs only the .NET SDK).
    [AuditctlFact]
    public void A_rule_added_by_vigil_is_listed_by_auditctl_as_vigil_prints_it() => WithVigilRules((_, _) =>
    {
        var (code, output, _) = Auditctl.Run("-l");

        Assert.Equal(0, code);
        Assert.Equal(VigilRulesText, output.TrimEnd('\n').Split('\n'));
    });

    [KernelFact]
    public void Kernel_errors_carry_the_errno_and_request_name()
    {
        using var client = AuditClient.OpenUnicast();

        var error = Assert.Throws<AuditNetlinkException>(() =>
            client.DeleteRule(AuditRule.ForSyscalls(SyscallTable.ArchX86_64, ["mknod"], "vigil-absent")));

        Assert.Equal(2, error.Errno);
        Assert.Equal("AUDIT_DEL_RULE", error.Operation);
        Assert.StartsWith("AUDIT_DEL_RULE failed: ", error.Message);
    }

    [KernelFact]
    public void Setting_the_pid_of_another_process_is_refused()
    {
        using var client = AuditClient.OpenUnicast();

        var error = Assert.Throws<AuditNetlinkException>(() => client.SetPid(1));

        Assert.Equal(22, error.Errno);
        Assert.Equal(fixture.Snapshot!.Status.Pid, client.GetStatus().Pid);
    }

    [AuditctlFact]
    public void The_status_report_agrees_with_auditctl()
    {
        using var client = AuditClient.OpenUnicast();

        var report = AuditStatusReport.Render(client).Split('\n');
        var auditctl = Auditctl.Run("-s").Output.TrimEnd('\n').Split('\n');

        foreach (var line in auditctl)
        {
            Assert.Contains(line, report);
        }
    }

    // Adds Vigil's four kinds of rule (its own exclusion, always rules for both arches, a socketcall rule on its call),
    // checks, and deletes them.
    private void WithVigilRules(Action<AuditClient, AuditRule[]> check)
    {
        using var client = AuditClient.OpenUnicast();
        var rules = new[]
        {
            AuditRule.ForProcessExclusion(SyscallTable.ArchX86_64, 4242, AuditRule.VigilKey),
            AuditRule.ForSyscalls(SyscallTable.ArchX86_64, ["execve", "execveat", "connect"], AuditRule.VigilKey),
            AuditRule.ForSyscalls(SyscallTable.ArchI386, ["execve", "connect"], AuditRule.VigilKey),
            AuditRule.ForSocketCall(SyscallTable.ArchI386, SocketCall.Accept4, AuditRuleAction.Always).WithKey(AuditRule.VigilKey),
        };
        try
        {
            foreach (var rule in rules)
            {
                client.AddRule(rule);
            }

            check(client, rules);
        }
        finally
        {
            foreach (var rule in rules)
            {
                TryDelete(client, rule);
            }
        }

        Assert.Equal(fixture.Snapshot!.Rules.Count, client.ListRuleData().Count);
    }

    private static void TryDelete(AuditClient client, AuditRule rule)
    {
        try
        {
            client.DeleteRule(rule);
        }
        catch (AuditNetlinkException error) when (error.Errno == 2)
        {
        }
    }
}
