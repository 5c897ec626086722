using System;

// Calls into the native library through the package's managed assembly:
// it runs only if the build put both GcClient.dll and the native next to it.
internal static class Program
{
    private static int Main()
    {
        Console.WriteLine("GcClient native " + GenericConnector.GcClient.NativeVersion);
        return 0;
    }
}
