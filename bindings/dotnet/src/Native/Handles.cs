using System;
using System.Runtime.InteropServices;

namespace GenericConnector.Native
{
    /// <summary>A <c>gc_client*</c>; releasing it closes the connection.</summary>
    internal sealed class ClientHandle : SafeHandle
    {
        private ClientHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            // Joins the dispatcher thread: never reached from the callback,
            // because GcClient.Dispose hands that case to the thread pool.
            return NativeMethods.gc_client_free(handle) == GcErrorCode.Ok;
        }
    }

    /// <summary>A <c>gc_agent*</c>.</summary>
    internal sealed class AgentHandle : SafeHandle
    {
        private AgentHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            return NativeMethods.gc_agent_free(handle) == GcErrorCode.Ok;
        }
    }

    /// <summary>An owned <c>gc_event*</c> (a command's reply).</summary>
    internal sealed class EventHandle : SafeHandle
    {
        private EventHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            return NativeMethods.gc_event_free(handle) == GcErrorCode.Ok;
        }
    }
}
