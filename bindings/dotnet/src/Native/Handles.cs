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
            // Never waits (no thread join): this runs on the finalizer thread
            // for a client nobody disposed, and on whatever thread disposes,
            // which may be one a running handler is waiting for.
            return NativeMethods.gc_client_free_nowait(handle) == GcErrorCode.Ok;
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
