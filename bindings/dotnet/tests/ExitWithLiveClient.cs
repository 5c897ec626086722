using System;
using System.Threading;
using GenericConnector;

// Leaves Main with a connected client whose events are still flowing and
// never disposes it: the process must exit cleanly (exit code 0).
internal static class ExitWithLiveClient
{
    private static int Main(string[] args)
    {
        var client = GcClient.ConnectAsync(new GcConfig { Brokers = args[0], Queue = args[1] }).Result;
        client.WaitInServiceAsync(TimeSpan.FromSeconds(15)).Wait();
        var agent = client.Agent(args[2]);
        var flowing = new ManualResetEventSlim();
        int count = 0;
        agent.EventReceived += (s, e) => { if (Interlocked.Increment(ref count) == 50) flowing.Set(); };
        agent.MakeCallAsync("burst-20000").Wait();
        if (!flowing.Wait(TimeSpan.FromSeconds(15))) return 3;
        Console.WriteLine("exiting with a live client after {0} events", Volatile.Read(ref count));
        return 0;
    }
}
