using System;
using System.Collections.Concurrent;
using System.Threading;
using GenericConnector;
using NUnit.Framework;

namespace GenericConnector.Tests
{
    /// <summary>
    /// Where the tests find the broker and the scripted GC peer
    /// (scripts/test.d/40-dotnet.sh starts both): GCCLIENT_TEST_STOMP
    /// (host:port) and GCCLIENT_TEST_QUEUE (the peer's queue).
    /// </summary>
    internal static class TestEnv
    {
        internal static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

        internal static string Stomp
        {
            get
            {
                var s = Environment.GetEnvironmentVariable("GCCLIENT_TEST_STOMP");
                if (string.IsNullOrEmpty(s)) Assert.Fail("GCCLIENT_TEST_STOMP is not set (host:port of the test broker)");
                return s;
            }
        }

        internal static string Queue
        {
            get
            {
                var q = Environment.GetEnvironmentVariable("GCCLIENT_TEST_QUEUE");
                if (string.IsNullOrEmpty(q)) Assert.Fail("GCCLIENT_TEST_QUEUE is not set (the scripted GC peer's queue)");
                return q;
            }
        }

        internal static GcConfig Config()
        {
            return new GcConfig { Brokers = "tcp://" + Stomp, Queue = Queue };
        }

        /// <summary>A client that GC (the peer) has put in service.</summary>
        internal static GcClient InService(GcConfig config = null)
        {
            var client = GcClient.ConnectAsync(config ?? Config()).Result;
            client.WaitInServiceAsync(Wait).Wait();
            return client;
        }

        private static int agentSeq;

        /// <summary>A fresh agent id per test: the peer keeps no per-agent state, but events stay apart.</summary>
        internal static string AgentId()
        {
            return (7000 + Interlocked.Increment(ref agentSeq)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>The task's exception, unwrapped, or a failure when it did not fail.</summary>
        internal static T Fails<T>(System.Threading.Tasks.Task task) where T : Exception
        {
            try
            {
                task.Wait(Wait);
            }
            catch (AggregateException e)
            {
                var inner = e.Flatten().InnerException;
                Assert.IsInstanceOf<T>(inner, "unexpected exception: " + inner);
                return (T)inner;
            }
            Assert.Fail("the task did not fail (status " + task.Status + ")");
            return null;
        }

        internal static T Get<T>(System.Threading.Tasks.Task<T> task)
        {
            Assert.IsTrue(task.Wait(Wait), "no result within " + Wait);
            return task.Result;
        }
    }

    /// <summary>Collects events raised on any thread and waits for one.</summary>
    internal sealed class Inbox<T> where T : class
    {
        private readonly BlockingCollection<T> items = new BlockingCollection<T>();

        public void Add(object sender, T item) { items.Add(item); }

        public T Next(Func<T, bool> match = null)
        {
            var deadline = DateTime.UtcNow + TestEnv.Wait;
            T item;
            while (items.TryTake(out item, Remaining(deadline)))
                if (match == null || match(item)) return item;
            Assert.Fail("no matching " + typeof(T).Name + " within " + TestEnv.Wait);
            return null;
        }

        private static TimeSpan Remaining(DateTime deadline)
        {
            var left = deadline - DateTime.UtcNow;
            return left < TimeSpan.Zero ? TimeSpan.Zero : left;
        }
    }

    /// <summary>
    /// A single-threaded SynchronizationContext with a message loop, as a
    /// WPF/WinForms UI thread has (USD hosted controls get events there).
    /// </summary>
    internal sealed class UiThreadContext : SynchronizationContext, IDisposable
    {
        private readonly BlockingCollection<Tuple<SendOrPostCallback, object>> queue = new BlockingCollection<Tuple<SendOrPostCallback, object>>();
        private readonly Thread thread;

        public UiThreadContext()
        {
            thread = new Thread(Loop) { IsBackground = true, Name = "test-ui" };
            thread.Start();
        }

        public int ThreadId { get { return thread.ManagedThreadId; } }

        public override void Post(SendOrPostCallback d, object state)
        {
            queue.Add(Tuple.Create(d, state));
        }

        public override void Send(SendOrPostCallback d, object state)
        {
            throw new NotSupportedException("the binding must Post, never Send (Send from the dispatcher could deadlock a UI)");
        }

        private void Loop()
        {
            SetSynchronizationContext(this);
            foreach (var item in queue.GetConsumingEnumerable()) item.Item1(item.Item2);
        }

        public void Dispose()
        {
            queue.CompleteAdding();
            thread.Join(TestEnv.Wait);
        }
    }
}
