using System;
using System.Runtime.InteropServices;

namespace GenericConnector.Native
{
    /// <summary>The C ABI of <c>include/gcclient.h</c>, one to one.</summary>
    /// <remarks>
    /// Strings go in as NUL-terminated UTF-8 <c>byte[]</c> (see
    /// <see cref="Utf8"/>): .NET Framework 4.6.2 has no UTF-8 string
    /// marshaller, and a blittable array is pinned for the call without a
    /// copy. Strings come out through caller buffers (<c>buf, len, out_len</c>).
    /// </remarks>
    internal static partial class NativeMethods
    {
        // gcclient_native.dll / libgcclient_native.so / libgcclient_native.dylib:
        // the C ABI's library (gcclient.dll, libgcclient.so) as the NuGet
        // package names it, since NTFS takes gcclient.dll for GcClient.dll.
        internal const string Lib = "gcclient_native";

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void EventCallback(IntPtr userdata, IntPtr ev);

        // gc_command_callback: the outcome of an asynchronous command.
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void CommandCallback(IntPtr userdata, GcErrorCode status, IntPtr reply);

        // gc_log_callback: one log record, strings lent for the call.
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void LogCallback(IntPtr userdata, LogLevel level, IntPtr target, IntPtr message);

        // gc_log_level
        internal enum LogLevel
        {
            Trace = 0,
            Debug = 1,
            Info = 2,
            Warn = 3,
            Error = 4,
            Off = 5,
        }

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_log_set_callback(LogCallback callback, IntPtr userdata, LogLevel level);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_log_set_level(LogLevel level);

        [StructLayout(LayoutKind.Sequential)]
        internal struct Config
        {
            public IntPtr Brokers;
            public IntPtr BrokerLogin;
            public IntPtr BrokerPasscode;
            public IntPtr Queue;
            public IntPtr Destination;
            public IntPtr TlsCaFile;
            public uint RequestTimeoutMs;
            public uint ConnectTimeoutMs;
            public uint CommandTtlMs;
            public uint EventBuffer;
        }

        // ---- client ----
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_connect(ref Config config, out ClientHandle client);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_start(ref Config config, out ClientHandle client);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_connect_toml(byte[] toml, out ClientHandle client);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_connect_json(byte[] json, out ClientHandle client);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_wait_in_service(ClientHandle client, uint timeoutMs);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_status(ClientHandle client, out GcConnectionStatus status);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_destination(ClientHandle client, byte[] buf, UIntPtr len, out UIntPtr outLen);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_dropped_events(ClientHandle client, out ulong dropped);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_set_callback(ClientHandle client, EventCallback callback, IntPtr userdata);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_close(ClientHandle client);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_close_nowait(ClientHandle client);

        // Called by ClientHandle.ReleaseHandle with the raw value: never waits.
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_free_nowait(IntPtr client);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_pending_requests(ClientHandle client, out UIntPtr pending);

        // ---- agent ----
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_client_agent(ClientHandle client, byte[] agentId, out AgentHandle agent);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_agent_free(IntPtr agent);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_agent_get_cached_state(AgentHandle agent, out AgentState state);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_agent_snapshot_json(AgentHandle agent, byte[] buf, UIntPtr len, out UIntPtr outLen);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_agent_login(AgentHandle agent, byte[] password, byte[] extension, out EventHandle reply);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_agent_command(AgentHandle agent, byte[] command, IntPtr[] args, UIntPtr nargs, uint timeoutMs, out EventHandle reply);

        // ---- asynchronous commands: the outcome comes to a CommandCallback ----
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_agent_command_async(AgentHandle agent, byte[] command, IntPtr[] args, UIntPtr nargs, uint timeoutMs,
            CommandCallback callback, IntPtr userdata, out IntPtr request);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_agent_login_async(AgentHandle agent, byte[] password, byte[] extension,
            CommandCallback callback, IntPtr userdata, out IntPtr request);

        // C's bool is one byte.
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_request_cancel(IntPtr request, out byte cancelled);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_commands_json(byte[] buf, UIntPtr len, out UIntPtr outLen);

        // ---- events: lent ones (IntPtr, inside the callback) and owned replies ----
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_event_get_kind(IntPtr ev, out GcEventKind kind);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_event_to_json(IntPtr ev, byte[] buf, UIntPtr len, out UIntPtr outLen);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_event_agent(IntPtr ev, byte[] buf, UIntPtr len, out UIntPtr outLen);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_event_get_kind(EventHandle ev, out GcEventKind kind);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_event_to_json(EventHandle ev, byte[] buf, UIntPtr len, out UIntPtr outLen);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_event_free(IntPtr ev);

        // ---- diagnostics ----
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_last_error(byte[] buf, UIntPtr len, out UIntPtr outLen);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern GcErrorCode gc_version(byte[] buf, UIntPtr len, out UIntPtr outLen);
    }
}
