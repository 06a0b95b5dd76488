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

    /// <summary>Whether <paramref name="condition"/> became true within <paramref name="timeout"/>.</summary>
    public static bool For(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            Thread.Sleep(100);
        }

        return true;
    }
}
