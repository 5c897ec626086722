using System;
using System.Threading;
using System.Threading.Tasks;

namespace GenericConnector
{
    /// <summary>Runs a blocking native call on the thread pool as a Task.</summary>
    /// <remarks>
    /// The C ABI's calls block until GC answers and cannot be interrupted,
    /// so cancelling abandons the wait: the Task ends as cancelled at once,
    /// the native call finishes in the background, and its result is handed
    /// to <c>discard</c> (e.g. a client connected too late is disposed).
    /// </remarks>
    internal static class Blocking
    {
        internal static Task<T> Run<T>(Func<T> work, CancellationToken ct, Action<T> discard)
        {
            if (ct.IsCancellationRequested) return Task.FromCanceled<T>(ct);
            if (!ct.CanBeCanceled) return Task.Run(work);
            var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            var registration = ct.Register(() => tcs.TrySetCanceled(ct));
            Task.Run(() =>
            {
                try
                {
                    var result = work();
                    if (!tcs.TrySetResult(result) && discard != null) discard(result);
                }
                catch (Exception e)
                {
                    tcs.TrySetException(e);
                }
                finally
                {
                    registration.Dispose();
                }
            });
            return tcs.Task;
        }
    }
}
