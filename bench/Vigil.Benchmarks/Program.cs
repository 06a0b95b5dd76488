using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Vigil.Benchmarks.RecordedStream).Assembly).Run(args);
