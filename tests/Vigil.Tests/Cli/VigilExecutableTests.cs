using Xunit;

namespace Vigil.Tests.Cli;

public class VigilExecutableTests
{
    [Fact]
    public void Shell_Json_PositionalSql() =>
        Assert.Equal((0, "[\n  {\"a\":\"1\"}\n]\n", ""), VigilProcess.Run("", "shell", "--json", "select 1 as a"));

    [Fact]
    public void UnknownFlag_ExitsOne_WithOneLine() =>
        Assert.Equal((1, "", "vigil: unknown flag: --jsn (did you mean --json?)\n"), VigilProcess.Run("", "shell", "--jsn", "select 1 as a"));

    [Fact]
    public void BadValue_ExitsOne_WithOneLine() =>
        Assert.Equal(
            (1, "", "vigil: invalid value for --audit_backlog_limit: 'abc' (expected a non-negative integer)\n"),
            VigilProcess.Run("", "shell", "--audit_backlog_limit=abc"));

    [Fact]
    public void Shell_PipedStatements_OneArrayEach() =>
        Assert.Equal(
            (0, "[\n  {\"a\":\"1\"}\n]\n[\n  {\"b\":\"two\"}\n]\n", ""),
            VigilProcess.Run("select 1 as a;\nselect 'two'\n  as b;\n", "shell", "--json"));

    [Fact]
    public void Shell_PipedError_ContinuesAndExitsOne() =>
        Assert.Equal(
            (1, "x\n1\n", "Error: near line 1: no such table: missing\n"),
            VigilProcess.Run("select * from missing;\nselect 1 as x;\n", "shell", "--csv"));

    [Fact]
    public async Task Shell_Piped_RunsEachStatementAsSoonAsItIsComplete()
    {
        using var process = System.Diagnostics.Process.Start(VigilProcess.StartInfo(["shell", "--json"]))!;
        try
        {
            await process.StandardInput.WriteAsync("select 1 as a;\nselect 2");
            await process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var first = new List<string>();
            while (first.Count < 3)
            {
                first.Add(await process.StandardOutput.ReadLineAsync(timeout.Token) ?? "<eof>");
            }

            Assert.Equal(["[", "  {\"a\":\"1\"}", "]"], first);
            await process.StandardInput.WriteAsync(" as b;\n");
            process.StandardInput.Close();
            Assert.Equal("[\n  {\"b\":\"2\"}\n]\n", await process.StandardOutput.ReadToEndAsync(timeout.Token));
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    // As root, the two capabilities are dropped from the bounding set so the child runs without them (root
    // keeps its uid: the check must look at capabilities); any other user lacks them already.
    private static System.Diagnostics.ProcessStartInfo WithoutAuditCapabilities(params string[] args) =>
        Environment.UserName == "root"
            ? VigilProcess.StartInfo(args, "setpriv", ["--bounding-set=-audit_control,-audit_read"])
            : VigilProcess.StartInfo(args);

    [Fact]
    public void AuditWithoutCapabilities_ExitsOne() =>
        Assert.Equal(
            (1, "", "vigil: collecting audit events needs root (or CAP_AUDIT_CONTROL and CAP_AUDIT_READ); run as root or use --audit_log_file\n"),
            VigilProcess.Run(WithoutAuditCapabilities("shell", "--disable_audit=false", "select 1"), ""));

    [Fact]
    public void AuditLogFile_NeedsNoCapabilities() =>
        Assert.Equal(
            (0, "a\n1\n", ""),
            VigilProcess.Run(WithoutAuditCapabilities("shell", "--disable_audit=false", "--audit_log_file=/dev/null", "--csv", "select 1 as a"), ""));

    [Fact]
    public void Version() => Assert.Equal((0, VigilCliTests.VersionLine, ""), VigilProcess.Run("", "--version"));
}
