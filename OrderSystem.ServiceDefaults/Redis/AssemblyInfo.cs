using System.Runtime.CompilerServices;

// The RESP reader and writer are tested byte for byte.
[assembly: InternalsVisibleTo("OrderSystem.Tests")]
