using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using GenericConnector.Native;

namespace GenericConnector
{
    /// <summary>
    /// The native library's log records, forwarded to the
    /// <see cref="TraceSource"/> named <c>gcclient</c>.
    /// </summary>
    /// <remarks>
    /// Configure it as any trace source: in <c>app.config</c>
    /// (<c>&lt;source name="gcclient" switchValue="Verbose"&gt;</c> with a
    /// listener), or in code through <see cref="Source"/> and then
    /// <see cref="Refresh"/>. The level forwarded is read from the source's
    /// switch when the first client is created and at each
    /// <see cref="Refresh"/>: <c>All</c> forwards the library's TRACE
    /// records, <c>Verbose</c> its DEBUG records (each command sent, each
    /// reply and refusal, with agent, command, correlation id and latency).
    /// Passwords never appear in the records. Messages read
    /// <c>target: text</c>, with the Rust module path as target
    /// (<c>gcclient::command</c>, <c>gcclient::session::engine</c>).
    /// </remarks>
    public static class GcLogging
    {
        /// <summary>The trace source the records go to (default level: Warning).</summary>
        public static TraceSource Source { get; } = new TraceSource("gcclient", SourceLevels.Warning);

        // Kept alive here: the native side holds only the function pointer.
        private static readonly NativeMethods.LogCallback Callback = OnNativeLog;
        private static readonly object Gate = new object();
        private static bool installed;

        /// <summary>Reads <see cref="Source"/>'s switch level again and forwards from that level on.</summary>
        public static void Refresh()
        {
            lock (Gate)
            {
                if (!installed)
                {
                    var st = NativeMethods.gc_log_set_callback(Callback, IntPtr.Zero, NativeLevel());
                    if (st != GcErrorCode.Ok)
                    {
                        Source.TraceEvent(TraceEventType.Warning, 0, "gcclient: native log records are not forwarded: {0}", Utf8.LastError());
                        return;
                    }
                    installed = true;
                    // Native threads must not call into a runtime that is shutting down.
                    AppDomain.CurrentDomain.ProcessExit += (s, e) => Shutdown();
                    AppDomain.CurrentDomain.DomainUnload += (s, e) => Shutdown();
                }
                else
                {
                    NativeMethods.gc_log_set_level(NativeLevel());
                }
            }
        }

        internal static void EnsureInstalled()
        {
            lock (Gate)
            {
                if (installed) return;
            }
            Refresh();
        }

        private static void Shutdown()
        {
            lock (Gate)
            {
                // Waits for records being forwarded now.
                if (installed) NativeMethods.gc_log_set_callback(null, IntPtr.Zero, NativeMethods.LogLevel.Off);
                installed = false;
            }
        }

        private static NativeMethods.LogLevel NativeLevel()
        {
            var level = Source.Switch.Level;
            if ((level & SourceLevels.ActivityTracing) != 0 && (level & SourceLevels.Verbose) == SourceLevels.Verbose) return NativeMethods.LogLevel.Trace;
            if ((level & SourceLevels.Verbose) == SourceLevels.Verbose) return NativeMethods.LogLevel.Debug;
            if ((level & SourceLevels.Information) == SourceLevels.Information) return NativeMethods.LogLevel.Info;
            if ((level & SourceLevels.Warning) == SourceLevels.Warning) return NativeMethods.LogLevel.Warn;
            if ((level & SourceLevels.Error) == SourceLevels.Error) return NativeMethods.LogLevel.Error;
            return NativeMethods.LogLevel.Off;
        }

        private static void OnNativeLog(IntPtr userdata, NativeMethods.LogLevel level, IntPtr target, IntPtr message)
        {
            // An exception must not unwind into native code.
            try
            {
                TraceEventType type;
                switch (level)
                {
                    case NativeMethods.LogLevel.Error: type = TraceEventType.Error; break;
                    case NativeMethods.LogLevel.Warn: type = TraceEventType.Warning; break;
                    case NativeMethods.LogLevel.Info: type = TraceEventType.Information; break;
                    default: type = TraceEventType.Verbose; break;
                }
                Source.TraceEvent(type, 0, "{0}: {1}", Utf8.FromNative(target), Utf8.FromNative(message));
            }
            catch (Exception)
            {
            }
        }
    }
}
