using System.Diagnostics;
using Xunit;

namespace Vigil.Tests;

/// <summary>Polls a condition that another process or thread makes true, failing the test when it does not in time.</summary>
internal static class Wait
{
    public static void Until(Func<bool> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"timed out waiting for {what}");
            Thread.Sleep(100);
        }
    }
}
