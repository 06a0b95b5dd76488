using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Vigil.Tests.Bpf;

/// <summary>Vigil's programs, maps and links in the kernel, as <c>bpftool</c> lists them (names start with vigil_).</summary>
internal static class BpfKernelObjects
{
    /// <summary>The names of Vigil's programs, maps and links loaded now.</summary>
    public static List<string> Loaded()
    {
        var names = new List<string>();
        foreach (var kind in (string[])["prog", "map", "link"])
        {
            using var document = JsonDocument.Parse(Bpftool(kind, "list"));
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var name = item.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                var program = item.TryGetProperty("prog_id", out var id) ? ProgramName(id.GetInt64()) : "";
                if (name.StartsWith("vigil_", StringComparison.Ordinal) || program.StartsWith("vigil_", StringComparison.Ordinal))
                {
                    names.Add($"{kind} {name}{program}");
                }
            }
        }

        return names;
    }

    /// <summary>Waits up to 10 s for the kernel to free what a stopped process held (it frees programs after a grace period).</summary>
    public static void AssertNoneLeft()
    {
        var clock = Stopwatch.StartNew();
        List<string> left;
        while ((left = Loaded()).Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(100);
        }

        Assert.Empty(left);
    }

    /// <summary>Waits up to 30 s until Vigil's programs are attached (a process loading them has got that far).</summary>
    public static void WaitForLinks()
    {
        var clock = Stopwatch.StartNew();
        while (!Loaded().Exists(name => name.StartsWith("link", StringComparison.Ordinal)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "Vigil's BPF programs were not attached within 30 s");
            Thread.Sleep(100);
        }
    }

    private static string ProgramName(long id)
    {
        using var document = JsonDocument.Parse(Bpftool("prog", "show", "id", id.ToString()));
        return document.RootElement.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "";
    }

    private static string Bpftool(params string[] args)
    {
        var info = new ProcessStartInfo("bpftool") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-j");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Length == 0 ? "[]" : output;
    }
}
