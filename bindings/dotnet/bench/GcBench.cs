using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using GenericConnector;

// Numbers for docs/dotnet.md, against a broker and the scripted GC peer:
//   mono GcBench.exe tcp://127.0.0.1:61613 QUEUE [events] [round-trips]
// 1. command round trip from C# (Task API), sequential;
// 2. events per second into C# handlers, end to end (peer -> broker -> C#);
// 3. dispatch cost per event into C#: the handler is held until a second
//    client on the same topic has seen the whole burst, so the native
//    dispatcher has every event queued; then the queue is drained and timed
//    (lend + reverse P/Invoke + kind + JSON copy + UTF-8 decode + typed
//    event + raising it).
internal static class GcBench
{
    private static int Main(string[] args)
    {
        string broker = args[0], queue = args[1];
        int events = args.Length > 2 ? int.Parse(args[2]) : 20000;
        int trips = args.Length > 3 ? int.Parse(args[3]) : 2000;
        var config = new GcConfig { Brokers = broker, Queue = queue, EventBuffer = events + 1000 };

        using (var client = Connect(config))
        {
            var agent = client.Agent("9001");
            agent.LoginAsync("secret", "5001").Wait();
            for (int i = 0; i < 200; i++) agent.GetStateAsync().Wait(); // warm-up (JIT, pool)
            var us = new List<double>(trips);
            for (int i = 0; i < trips; i++)
            {
                var sw = Stopwatch.StartNew();
                agent.GetStateAsync().Wait();
                us.Add(sw.Elapsed.TotalMilliseconds * 1000);
            }
            us.Sort();
            Console.WriteLine("round trip (GetStateAsync, {0} sequential): p50 {1:F0} us, p99 {2:F0} us",
                trips, us[trips / 2], us[trips * 99 / 100]);

            Burst(client, "9002", events, false);
        }
        Drain(config, events, false);
        Drain(config, events, true);
        return 0;
    }

    private static GcClient Connect(GcConfig config)
    {
        var client = GcClient.ConnectAsync(config).Result;
        client.WaitInServiceAsync(TimeSpan.FromSeconds(15)).Wait();
        return client;
    }

    private static void Burst(GcClient client, string agentId, int n, bool readField)
    {
        var agent = client.Agent(agentId);
        int count = 0;
        var done = new ManualResetEventSlim();
        var sw = new Stopwatch();
        agent.EventReceived += (s, e) =>
        {
            if (e.Kind != GcEventKind.PrintStatusBar) return;
            if (count == 0) sw.Start();
            if (++count == n) { sw.Stop(); done.Set(); }
        };
        agent.MakeCallAsync("burst-" + n).Wait();
        if (!done.Wait(TimeSpan.FromSeconds(120))) throw new TimeoutException("burst: got " + count);
        Console.WriteLine("events end to end (peer -> broker -> C# handler): {0} in {1} ms, {2:F0} events/s",
            n, sw.ElapsedMilliseconds, n / sw.Elapsed.TotalSeconds);
    }

    private static void Drain(GcConfig config, int n, bool readField)
    {
        using (var measured = Connect(config))
        {
            var watcherConfig = new GcConfig { Brokers = config.Brokers, Queue = config.Queue, Destination = measured.Destination, EventBuffer = config.EventBuffer };
            using (var watcher = Connect(watcherConfig))
            {
                var gate = new ManualResetEventSlim();
                var seenByWatcher = new ManualResetEventSlim();
                var drained = new ManualResetEventSlim();
                int watched = 0, count = 0, chars = 0;
                var sw = new Stopwatch();
                watcher.EventReceived += (s, e) => { if (e.Kind == GcEventKind.PrintStatusBar && ++watched == n) seenByWatcher.Set(); };
                measured.EventReceived += (s, e) =>
                {
                    if (e.Kind != GcEventKind.PrintStatusBar) return;
                    if (count++ == 0) { gate.Wait(); sw.Start(); return; }
                    if (readField) chars += ((StatusBarEvent)e).Message.Length;
                    if (count == n) { sw.Stop(); drained.Set(); }
                };
                measured.Agent("9003").MakeCallAsync("burst-" + n).Wait();
                if (!seenByWatcher.Wait(TimeSpan.FromSeconds(120))) throw new TimeoutException("watcher: " + watched);
                gate.Set();
                if (!drained.Wait(TimeSpan.FromSeconds(120))) throw new TimeoutException("drain: " + count);
                Console.WriteLine("dispatch into C# ({0}): {1} queued events in {2} ms, {3:F2} us/event; dropped {4}",
                    readField ? "handler reads a field: + JSON parse" : "empty handler",
                    n - 1, sw.ElapsedMilliseconds, sw.Elapsed.TotalMilliseconds * 1000 / (n - 1), measured.DroppedEvents);
            }
        }
    }
}
