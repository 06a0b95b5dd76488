using System.Globalization;
using BenchmarkDotNet.Running;

if (args is ["write-bsm-trail", var path, var megabytes])
{
    return Vigil.Benchmarks.BsmTrailGenerator.Run(path, long.Parse(megabytes, CultureInfo.InvariantCulture));
}

if (args is ["process-tree-memory", var count])
{
    return Vigil.Benchmarks.ProcessTreeMemory.Run(int.Parse(count, CultureInfo.InvariantCulture));
}

BenchmarkSwitcher.FromAssembly(typeof(Vigil.Benchmarks.RecordedStream).Assembly).Run(args);
return 0;
