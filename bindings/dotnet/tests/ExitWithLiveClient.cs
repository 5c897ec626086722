using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using GenericConnector;

// Exits the process with a live client in one of the patterns a USD desktop
// meets, printing "exiting" just before; the test measures from that line
// to the process's end (it must be prompt) and checks exit code 0.
//
//   ExitWithLiveClient.exe BROKERS QUEUE AGENT PATTERN
//
// PATTERN: main          return from Main while events flow
//          handler-exit  Environment.Exit from an event handler
//          ui-exit       a handler waits on the UI thread (Dispatcher.Invoke
//                        style) while the UI thread calls Environment.Exit
//          ui-dispose    the same, but the UI thread disposes first, then returns
//          pending       1,000 commands pending (GC silent), return from Main
internal static class ExitWithLiveClient
{
    private static int Main(string[] args)
    {
        var pattern = args.Length > 3 ? args[3] : "main";
        var client = GcClient.ConnectAsync(new GcConfig { Brokers = args[0], Queue = args[1] }).Result;
        client.WaitInServiceAsync(TimeSpan.FromSeconds(15)).Wait();
        var agent = client.Agent(args[2]);
        var flowing = new ManualResetEventSlim();
        int count = 0;
        switch (pattern)
        {
            case "main":
                agent.EventReceived += (s, e) => { if (Interlocked.Increment(ref count) == 50) flowing.Set(); };
                agent.MakeCallAsync("burst-20000").Wait();
                if (!flowing.Wait(TimeSpan.FromSeconds(15))) return 3;
                Console.WriteLine("exiting with a live client after {0} events", Volatile.Read(ref count));
                return 0;

            case "handler-exit":
                agent.EventReceived += (s, e) =>
                {
                    if (Interlocked.Increment(ref count) != 50) return;
                    Console.WriteLine("exiting from a handler");
                    Console.Out.Flush();
                    Environment.Exit(0);
                };
                agent.MakeCallAsync("burst-20000").Wait();
                Thread.Sleep(Timeout.Infinite); // the handler ends the process
                return 4;

            case "ui-exit":
            case "ui-dispose":
                {
                    var ui = new UiLoop();
                    var uiDone = new ManualResetEventSlim();
                    // Queued first, so the handler's Send waits behind it: the
                    // UI thread is busy here exactly while a handler waits for it.
                    ui.Post(() =>
                    {
                        ui.Sending.Wait();
                        if (pattern == "ui-dispose") client.Dispose();
                        Console.WriteLine("exiting on the UI thread while a handler waits for it");
                        Console.Out.Flush();
                        if (pattern == "ui-exit") Environment.Exit(0);
                        uiDone.Set();
                    });
                    agent.EventReceived += (s, e) =>
                    {
                        if (Interlocked.Increment(ref count) == 50) ui.Send(() => { });
                    };
                    agent.MakeCallAsync("burst-20000").Wait();
                    uiDone.Wait();
                    return 0;
                }

            case "pending":
                {
                    var pending = new Task[1000];
                    for (int i = 0; i < pending.Length; i++)
                        pending[i] = agent.CommandAsync("make_call", new[] { "silent-exit" }, TimeSpan.FromMinutes(5));
                    var deadline = DateTime.UtcNow.AddSeconds(20);
                    while (client.PendingCommands < pending.Length && DateTime.UtcNow < deadline) Thread.Sleep(1);
                    Console.WriteLine("exiting with {0} commands pending", client.PendingCommands);
                    return 0;
                }

            default:
                Console.Error.WriteLine("unknown pattern " + pattern);
                return 2;
        }
    }

    // A UI thread: Post queues work on it; Send from elsewhere waits for it.
    private sealed class UiLoop
    {
        private readonly BlockingCollection<Action> queue = new BlockingCollection<Action>();
        public readonly ManualResetEventSlim Sending = new ManualResetEventSlim();

        public UiLoop()
        {
            var t = new Thread(() => { foreach (var a in queue.GetConsumingEnumerable()) a(); }) { IsBackground = true, Name = "ui" };
            t.Start();
        }

        public void Post(Action a) { queue.Add(a); }

        public void Send(Action a)
        {
            var done = new ManualResetEventSlim();
            queue.Add(() => { a(); done.Set(); });
            Sending.Set();
            done.Wait();
        }
    }
}
