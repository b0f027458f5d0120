Console.WriteLine(new Projects.Orders().TargetPath);
