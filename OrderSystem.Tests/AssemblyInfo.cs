// The tests drive Linux processes (signals, /proc) and the Linux-only AppHost.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
