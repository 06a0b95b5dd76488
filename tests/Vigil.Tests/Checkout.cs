namespace Vigil.Tests;

/// <summary>The source checkout the tests were built from: the directory holding Vigil.slnx above the test binaries.</summary>
internal static class Checkout
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Vigil.slnx above {AppContext.BaseDirectory}");
    }
}
