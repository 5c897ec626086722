using System;
using System.Threading;
using System.Threading.Tasks;
using GenericConnector;

// A minimal agent on the GcClient binding: connect, log in, go READY, print
// every event, answer the first call that rings, hang up, log out.
//
//   mono ConsoleAgent.exe BROKER QUEUE AGENT PASSWORD EXTENSION
//   mono ConsoleAgent.exe tcp://127.0.0.1:61613 Connector1 1001 secret 5001
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 5)
        {
            Console.Error.WriteLine("usage: ConsoleAgent BROKER QUEUE AGENT PASSWORD EXTENSION");
            return 2;
        }
        try
        {
            return RunAsync(args).GetAwaiter().GetResult();
        }
        catch (GcException e)
        {
            Console.Error.WriteLine("failed: {0}: {1}", e.ErrorCode, e.Message);
            return 1;
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        var config = new GcConfig { Brokers = args[0], Queue = args[1] };
        using (var client = await GcClient.ConnectAsync(config))
        {
            client.StatusChanged += (s, e) => Console.WriteLine("status: {0}", e.Status);
            await client.WaitInServiceAsync(TimeSpan.FromSeconds(15));

            var agent = client.Agent(args[2]);
            var ringing = new TaskCompletionSource<string>();
            agent.EventReceived += (s, e) => Console.WriteLine("event: {0}", e.Json);
            agent.CallChanged += (s, call) =>
            {
                // Handlers run on the library's dispatcher thread: hand the
                // work to the main flow rather than blocking here.
                if (call.State == CallState.Alerting) ringing.TrySetResult(call.DialogId);
            };

            var login = await agent.LoginAsync(args[3], args[4]);
            Console.WriteLine("logged in ({0})", login.KindName);
            var ready = await agent.MakeReadyAsync();
            Console.WriteLine("state: {0}", ready.State);
            Console.WriteLine("READY, waiting for a call");

            var timeout = Task.Delay(TimeSpan.FromSeconds(30));
            if (await Task.WhenAny(ringing.Task, timeout) == timeout)
            {
                Console.Error.WriteLine("no call within 30 s");
                return 1;
            }
            var dialog = ringing.Task.Result;
            var active = await agent.AnswerCallAsync(dialog);
            Console.WriteLine("answered {0}: {1}", dialog, active.StateName);
            var dropped = await agent.ReleaseCallAsync(dialog);
            Console.WriteLine("released {0}: {1}", dialog, dropped.StateName);
            await agent.LogoutAsync();
            Console.WriteLine("logged out");
        }
        return 0;
    }
}
