using Vigil.Flags;
using Vigil.Schedule;

namespace Vigil.Cli;

/// <summary>Reads <c>--config_path</c> for a command, reporting an invalid config the same way wherever it is read.</summary>
internal static class ConfigFile
{
    /// <summary>
    /// The config at <paramref name="path"/> (queries compiled by <paramref name="compiler"/> when given), or null
    /// when it is invalid, after writing each error on its own line to <paramref name="errors"/>.
    /// </summary>
    public static OsqueryConfig? Load(string path, IQueryRunner? compiler, FlagValues flags, TextWriter errors)
    {
        var check = ConfigLoader.Load(path, compiler, Options(flags));
        if (check.Ok)
        {
            return check.Config;
        }

        foreach (var error in check.Errors)
        {
            errors.Write($"vigil: {error}\n");
        }

        errors.Flush();
        return null;
    }

    /// <summary>What the flags ask of the config loader: the pack delimiter of <c>--pack_delimiter</c>.</summary>
    public static ConfigLoadOptions Options(FlagValues flags) => new() { PackDelimiter = flags.Get(VigilFlags.PackDelimiter) };
}
