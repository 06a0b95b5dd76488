namespace Vigil.Cli.Shell;

/// <summary>What a key did to the line being edited.</summary>
public enum LineEditResult
{
    /// <summary>The line changed or the cursor moved; keep reading keys.</summary>
    Editing,

    /// <summary>Enter: the line is done.</summary>
    Submitted,

    /// <summary>Ctrl-C: the line was thrown away.</summary>
    Cancelled,

    /// <summary>Ctrl-D on an empty line: no more input.</summary>
    EndOfInput,
}
