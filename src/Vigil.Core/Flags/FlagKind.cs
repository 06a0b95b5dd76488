namespace Vigil.Flags;

/// <summary>The kind of value a flag takes, which decides how its text is parsed.</summary>
public enum FlagKind
{
    /// <summary>true/false; a bare <c>--name</c> means true and <c>--noname</c> false.</summary>
    Bool,

    /// <summary>A 64-bit integer.</summary>
    Int,

    /// <summary>Free text, or one of a fixed set of words when the flag lists allowed values.</summary>
    String,

    /// <summary>Text that may be given several times; every occurrence is kept, in order.</summary>
    List,
}
