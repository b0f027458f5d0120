// The local orchestrator uses POSIX process control (sessions, signals, setpriv): Linux only, like the project's machines.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
