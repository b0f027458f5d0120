Console.WriteLine("usage: dotnet run -c Release --project OrderSystem.Benchmarks -- <benchmark>");
return 2;
