using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Zongliang.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
