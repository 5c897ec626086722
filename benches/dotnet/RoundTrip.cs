// gcclient's C# binding (bindings/dotnet, over the C ABI) on Mono, for
// scripts/bench. Two modes, each printing one JSON line:
//
//   rt:     --stomp HOST:PORT --queue Q --n N --inflight K --warmup W
//           GetStateAsync round trips: K async loops on one client, each
//           with its own agent, awaiting one command at a time
//           -> {"samples_us": [...]}
//   events: --stomp HOST:PORT --queue Q --events N [--warmup-events W]
//           N State events flooded to the client's topic from a raw socket,
//           counted in an agent's EventReceived handler, after W
//           unmeasured ones -> {"events_per_s": ..., "cpu_us_per_event": ...}
//           (the process's CPU time during the measured flood)
// The queue's GC peer (bench peer) must be running.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using GenericConnector;

internal static class RoundTrip
{
    private static int Main(string[] args)
    {
        string mode = args[0], stomp = null, queue = null;
        int n = 0, inflight = 1, warmup = 100, events = 0, warmupEvents = 0;
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--stomp": stomp = args[i + 1]; break;
                case "--queue": queue = args[i + 1]; break;
                case "--n": n = int.Parse(args[i + 1]); break;
                case "--inflight": inflight = int.Parse(args[i + 1]); break;
                case "--warmup": warmup = int.Parse(args[i + 1]); break;
                case "--events": events = int.Parse(args[i + 1]); break;
                case "--warmup-events": warmupEvents = int.Parse(args[i + 1]); break;
                default: throw new ArgumentException("unknown argument " + args[i]);
            }
        }
        // Events: room for the whole flood (count and bytes; GcConfig has no
        // byte budget): this measures delivery, not what a full buffer drops.
        var config = events > 0
            ? GcConfig.FromToml("brokers = [\"tcp://" + stomp + "\"]\nqueue = \"" + queue
                + "\"\nevent_buffer = " + Math.Max(Math.Max(events, warmupEvents), 4096) + "\nevent_buffer_bytes = 268435456\n")
            : new GcConfig { Brokers = "tcp://" + stomp, Queue = queue };
        using (var client = GcClient.ConnectAsync(config).Result)
        {
            client.WaitInServiceAsync(TimeSpan.FromSeconds(30)).Wait();
            if (mode == "rt") RoundTrips(client, n, inflight, warmup);
            else Events(client, stomp, events, warmupEvents);
        }
        return 0;
    }

    private static void RoundTrips(GcClient client, int n, int inflight, int warmup)
    {
        var all = new List<double>(n);
        var workers = new List<Task<List<double>>>();
        for (int w = 0; w < inflight; w++)
        {
            var agent = client.Agent((1001 + w).ToString(CultureInfo.InvariantCulture));
            int share = n / inflight + (w < n % inflight ? 1 : 0);
            workers.Add(Worker(agent, warmup / inflight + 1, share));
        }
        foreach (var w in workers) all.AddRange(w.Result);
        var sb = new StringBuilder("{\"samples_us\":[");
        for (int i = 0; i < all.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(all[i].ToString("R", CultureInfo.InvariantCulture));
        }
        Console.WriteLine(sb.Append("]}").ToString());
    }

    private static async Task<List<double>> Worker(GcAgent agent, int warm, int share)
    {
        // Off the caller's thread at once, as every worker of a service is.
        await Task.Yield();
        for (int i = 0; i < warm; i++) await agent.GetStateAsync();
        var samples = new List<double>(share);
        var sw = new Stopwatch();
        for (int i = 0; i < share; i++)
        {
            sw.Restart();
            await agent.GetStateAsync();
            samples.Add(sw.Elapsed.TotalMilliseconds * 1000);
        }
        return samples;
    }

    private static void Events(GcClient client, string stomp, int n, int warmup)
    {
        var agent = client.Agent("flood");
        int seen = 0, target = 0;
        var done = new ManualResetEventSlim();
        string lagged = null;
        agent.EventReceived += (s, e) =>
        {
            if (e.Kind == GcEventKind.AgentState && ++seen == Volatile.Read(ref target)) done.Set();
        };
        client.Lagged += (s, e) => { lagged = e.ToString(); done.Set(); };
        string topic = "/topic/" + client.Destination;
        var run = new double[2];
        foreach (int count in new[] { warmup, n })
        {
            if (count == 0) continue;
            done.Reset();
            Volatile.Write(ref target, Volatile.Read(ref seen) + count);
            run = Flood(stomp, topic, count, done, () => seen, () => lagged);
        }
        Console.WriteLine("{\"events_per_s\":" + run[0].ToString("R", CultureInfo.InvariantCulture)
            + ",\"cpu_us_per_event\":" + run[1].ToString("R", CultureInfo.InvariantCulture) + "}");
    }

    // Floods `count` events and waits until the handler has seen them:
    // events/s and the process's CPU time per event.
    private static double[] Flood(string stomp, string topic, int count, ManualResetEventSlim done,
                                Func<int> seen, Func<string> lagged)
    {
        const string body = "flood#State#READY##2025-01-31 14:30:00##1738333800000#Zoë Ünal#flood#5001##Zoë Ünal#zunal";
        var frames = new StringBuilder();
        for (int i = 0; i < count; i++)
            frames.Append("SEND\ndestination:").Append(topic).Append("\ntype:\n\n").Append(body).Append('\0');
        var bytes = Encoding.UTF8.GetBytes(frames.ToString());
        var hp = stomp.Split(':');
        using (var tcp = new TcpClient(hp[0], int.Parse(hp[1])))
        {
            tcp.NoDelay = true;
            var s = tcp.GetStream();
            var connect = Encoding.UTF8.GetBytes("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
            s.Write(connect, 0, connect.Length);
            s.Read(new byte[4096], 0, 4096);
            var self = Process.GetCurrentProcess();
            var cpu0 = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            s.Write(bytes, 0, bytes.Length);
            s.Flush();
            if (!done.Wait(TimeSpan.FromSeconds(300)))
            {
                Console.Error.WriteLine("events missing: " + seen());
                Environment.Exit(1);
            }
            if (lagged() != null)
            {
                Console.Error.WriteLine("the handler fell behind: " + lagged());
                Environment.Exit(1);
            }
            double rate = count / sw.Elapsed.TotalSeconds;
            self.Refresh();
            return new[] { rate, (self.TotalProcessorTime - cpu0).TotalMilliseconds * 1000 / count };
        }
    }
}
