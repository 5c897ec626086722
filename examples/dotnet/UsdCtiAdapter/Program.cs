using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using GenericConnector;

namespace UsdCtiAdapter
{
    /// <summary>
    /// A USD-style CTI adapter without USD: the connector (GcClient), an
    /// agent-state manager and a call-state manager, wired as a USD hosted
    /// control would wire them, with every event on one "UI" thread.
    /// In USD, the hosted control's constructor runs on the UI thread, so
    /// <c>SynchronizationContext.Current</c> is WPF's and is passed to
    /// <see cref="GcConfig.SynchronizationContext"/> as here.
    ///
    ///   mono UsdCtiAdapter.exe BROKER QUEUE AGENT PASSWORD EXTENSION
    ///
    /// It logs in, sets the agent unavailable with a reason then available,
    /// answers the first new call from the NewCall event, releases it and
    /// logs out, printing what a desktop would show.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length != 5)
            {
                Console.Error.WriteLine("usage: UsdCtiAdapter BROKER QUEUE AGENT PASSWORD EXTENSION");
                return 2;
            }
            using (var ui = new MessageLoop())
            {
                return ui.Run(() => RunAsync(args, ui));
            }
        }

        private static async Task<int> RunAsync(string[] args, MessageLoop ui)
        {
            var config = new GcConfig { Brokers = args[0], Queue = args[1], SynchronizationContext = SynchronizationContext.Current };
            using (var connector = await GcClient.ConnectAsync(config))
            {
                connector.StatusChanged += (s, e) => Show("connector: {0}", e.Status);
                await connector.WaitInServiceAsync(TimeSpan.FromSeconds(15));

                var agent = connector.Agent(args[2]);
                var agentState = new AgentStateManager(agent);
                var callState = new CallStateManager(agent);
                var released = new TaskCompletionSource<bool>();

                agentState.AgentStateChanged += (s, e) => Show("agent state: {0} {1}", e.State, e.Reason);
                callState.CallManagerStateUpdate += (s, e) =>
                {
                    Show("call state: {0}", e.Call);
                    if (e.Call.State == CtiCallState.Dropped) released.TrySetResult(true);
                };
                callState.NewCall += async (s, e) =>
                {
                    Show("new call: {0} vars [{1}]", e.Call, string.Join(",", e.Call.CallVariables));
                    try
                    {
                        await callState.AnswerAsync(e.Call.ReferenceCallId);   // continues on the UI thread
                        Show("answered {0}", e.Call.ReferenceCallId);
                        await callState.ReleaseAsync(e.Call.ReferenceCallId);
                        Show("released {0}", e.Call.ReferenceCallId);
                    }
                    catch (GcException ex)
                    {
                        Show("call control failed: {0}", ex.Message);
                        released.TrySetException(ex);
                    }
                };

                await agentState.LoginAsync(args[3], args[4]);
                await agentState.SetUnavailableAsync("Lunch");
                await agentState.SetAvailableAsync();

                var timeout = Task.Delay(TimeSpan.FromSeconds(30));
                if (await Task.WhenAny(released.Task, timeout) == timeout)
                {
                    Show("no call handled within 30 s");
                    return 1;
                }
                await released.Task;
                await agentState.LogoutAsync();
                Show("logged out; {0} calls left", System.Linq.Enumerable.Count(callState.Calls));
            }
            return 0;
        }

        private static void Show(string format, params object[] args)
        {
            Console.WriteLine("[{0}] {1}", MessageLoop.OnUiThread ? "ui" : "other", string.Format(format, args));
        }
    }

    /// <summary>A single-threaded SynchronizationContext, standing in for WPF's dispatcher.</summary>
    internal sealed class MessageLoop : SynchronizationContext, IDisposable
    {
        private readonly BlockingCollection<Tuple<SendOrPostCallback, object>> queue = new BlockingCollection<Tuple<SendOrPostCallback, object>>();
        [ThreadStatic] private static bool onUiThread;

        public static bool OnUiThread { get { return onUiThread; } }

        public override void Post(SendOrPostCallback d, object state) { queue.Add(Tuple.Create(d, state)); }

        public override void Send(SendOrPostCallback d, object state) { throw new NotSupportedException(); }

        /// <summary>Runs <paramref name="main"/> on this thread as the UI thread until it completes.</summary>
        public int Run(Func<Task<int>> main)
        {
            var previous = Current;
            SetSynchronizationContext(this);
            onUiThread = true;
            try
            {
                var task = main();
                task.ContinueWith(_ => queue.CompleteAdding(), TaskScheduler.Default);
                foreach (var item in queue.GetConsumingEnumerable()) item.Item1(item.Item2);
                return task.GetAwaiter().GetResult();
            }
            finally
            {
                onUiThread = false;
                SetSynchronizationContext(previous);
            }
        }

        public void Dispose() { queue.Dispose(); }
    }
}
