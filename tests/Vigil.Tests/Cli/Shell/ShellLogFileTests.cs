using Vigil.Tests.Kernel;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Cli.Shell;

/// <summary><c>vigil shell --audit_log_file</c>: the same SQL over auditd's log files, as a user runs it.</summary>
public class ShellLogFileTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public void Enriched_ProcessEvents_InArgumentOrder() =>
        Assert.Equal(
            (0,
             "[\n" +
             "  {\"pid\":\"8834\",\"path\":\"/usr/bin/echo\",\"cmdline\":\"/bin/echo hello world say \\\"hi\\\" plain naïve\"},\n" +
             "  {\"pid\":\"8835\",\"path\":\"/usr/bin/true\",\"cmdline\":\"/bin/true a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12\"}\n" +
             "]\n",
             ""),
            VigilProcess.Run("", "shell", $"--audit_log_file={Fixture("records/enriched.log")}", "--json", "select pid, path, cmdline from process_events"));

    [Fact]
    public void SeveralFiles_AreReadTogether() =>
        Assert.Equal(
            (0, "process_events|socket_events|user_events\n2|14|20\n", ""),
            VigilProcess.Run(
                "",
                "shell",
                $"--audit_log_file={Fixture("records/enriched.log")}",
                $"--audit_log_file={Fixture("tables/sockets.log")}",
                $"--audit_log_file={Fixture("tables/user.log")}",
                "--csv",
                "select (select count(*) from process_events) as process_events, (select count(*) from socket_events) as socket_events, (select count(*) from user_events) as user_events"));

    [Fact]
    public void A_bsm_trail_and_an_auditd_log_are_read_together() =>
        Assert.Equal(
            (0, "pid|path|syscall|status\n8834|/usr/bin/echo|execve|\n8835|/usr/bin/true|execve|\n50009|/usr/bin/grep|execve|0\n", ""),
            VigilProcess.Run(
                "",
                "shell",
                $"--audit_log_file={Fixture("records/enriched.log")}",
                $"--audit_log_file={Fixture("bsm/execve-long-args.trail")}",
                "--csv",
                "select pid, path, syscall, status from process_events order by pid"));

    // Each architecture's log has one exec, three socket calls and, for i386, a fourth through socketcall.
    [Fact]
    public void Logs_of_every_architecture_are_read_together() =>
        Assert.Equal(
            (0, "execs|connects|binds\n8|17|8\n", ""),
            VigilProcess.Run(
                "",
                [
                    "shell",
                    .. ((string[])["i386", "aarch64", "arm", "ppc64", "ppc64le", "s390x", "riscv64", "loongarch64"]).Select(arch => $"--audit_log_file={Fixture($"arch/{arch}.log")}"),
                    "--csv",
                    "select (select count(*) from process_events where cmdline = 'ls -l /tmp/a b') as execs, "
                    + "(select count(*) from socket_events where action = 'connect') as connects, "
                    + "(select count(*) from socket_events where action = 'bind' and local_port = 8080) as binds",
                ]));

    [Fact]
    public void Events_of_an_unknown_architecture_or_syscall_are_reported_after_loading() =>
        Assert.Equal(
            (0, "n\n0\n",
             "vigil: 1 events of an architecture without a syscall table and 1 of a syscall missing from its architecture's table made no rows (the last: arch=c000003e syscall=999)\n"),
            VigilProcess.Run("", "shell", $"--audit_log_file={Fixture("arch/unknown.log")}", "--csv", "select count(*) as n from process_events"));

    [Fact]
    public void UserEvents_Line() =>
        Assert.Equal(
            (0,
             "    type = 1100\n     uid = 0\n    auid = 4294967295\n     pid = 8152\n" +
             " message = op=PAM:authentication grantors=pam_rootok acct=\"nobody\" exe=\"/usr/bin/su\" hostname=? addr=? terminal=? res=success\n" +
             "    path = /usr/bin/su\n address = ?\nterminal = ?\n",
             ""),
            VigilProcess.Run("", "shell", $"--audit_log_file={Fixture("tables/user.log")}", "--line", "select type, uid, auid, pid, message, path, address, terminal from user_events limit 1"));

    [Fact]
    public void MissingFile_ExitsOne_NamingIt() =>
        Assert.Equal(
            (1, "", "vigil: Audit log file not found: /nonexistent/audit.log\n"),
            VigilProcess.Run("", "shell", "--audit_log_file=/nonexistent/audit.log", "select 1"));

    // A log only root may read, opened by nobody: a one-line refusal naming the file, not an exception.
    [RootFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void UnreadableFile_ExitsOne_NamingIt()
    {
        using var directory = new TempDirectory();
        File.SetUnixFileMode(directory.Path, (UnixFileMode)0x1ed);
        var log = directory.File("audit.log");
        File.Copy(Fixture("tables/user.log"), log);
        File.SetUnixFileMode(log, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var info = VigilProcess.StartInfo(["shell", $"--audit_log_file={log}", "select count(*) from user_events"],
            "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups"]);
        info.Environment["HOME"] = "/tmp";

        Assert.Equal((1, "", $"vigil: Audit log file is not readable: {log}\n"), VigilProcess.Run(info, ""));
    }

    [Fact]
    public void InvalidSql_ExitsOne_NamingTheColumn() =>
        Assert.Equal(
            (1, "", "Error: no such column: bogus\n"),
            VigilProcess.Run("", "shell", $"--audit_log_file={Fixture("tables/user.log")}", "select bogus from process_events"));
}
