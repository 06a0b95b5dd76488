namespace Vigil.Kernel;

/// <summary>What <see cref="KernelAuditSession.ReplaceExclusions"/> changed in the kernel's exit list.</summary>
/// <param name="Rules">Exclusion rules in place afterwards.</param>
/// <param name="Added">Rules added (at the head of the list).</param>
/// <param name="Removed">Rules deleted because the new set no longer has them.</param>
public readonly record struct ExclusionChange(int Rules, int Added, int Removed);
