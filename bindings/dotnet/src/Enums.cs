namespace GenericConnector
{
    /// <summary>Status codes of the C ABI (<c>gc_status</c>), same numbers.</summary>
    public enum GcErrorCode
    {
        /// <summary>Success.</summary>
        Ok = 0,
        /// <summary>A required argument was null.</summary>
        NullArgument = 1,
        /// <summary>The handle is freed or not valid.</summary>
        InvalidHandle = 2,
        /// <summary>An argument the protocol cannot carry (a <c>,</c> or <c>#</c>, bad text); nothing was sent.</summary>
        InvalidArgument = 3,
        /// <summary>Not a command of the guide.</summary>
        UnknownCommand = 4,
        /// <summary>The configuration is invalid (the message names the setting).</summary>
        Config = 5,
        /// <summary>No broker could be reached.</summary>
        BrokerUnreachable = 6,
        /// <summary>The broker did not confirm the command, or the connection failed.</summary>
        Transport = 7,
        /// <summary>GC has not said IN_SERVICE yet; nothing was sent.</summary>
        NotInService = 8,
        /// <summary>GC said OUT_OF_SERVICE; nothing was sent.</summary>
        GcOutOfService = 9,
        /// <summary>The broker confirmed the command but no reply came in time.</summary>
        Timeout = 10,
        /// <summary>GC answered with an Error event (<see cref="GcException.Error"/>).</summary>
        Gc = 11,
        /// <summary>The broker connection dropped while waiting for the reply.</summary>
        ConnectionLost = 12,
        /// <summary>The client is closed.</summary>
        Closed = 13,
        /// <summary>A buffer was too small (handled inside the binding).</summary>
        BufferTooSmall = 14,
        /// <summary>No such field.</summary>
        NotFound = 15,
        /// <summary>Not allowed from the client's own callback.</summary>
        Reentrant = 16,
        /// <summary>A bug in gcclient (a caught panic).</summary>
        Internal = 17,
        /// <summary>GC answered <c>State#RE_LOGIN</c>: it has no session for the agent; the command was not carried out.</summary>
        SessionLost = 18,
        /// <summary>GC answered with an event that is not a reply to this command.</summary>
        UnexpectedReply = 19,
        /// <summary>The broker refused the STOMP login.</summary>
        BrokerAuth = 20,
    }

    /// <summary>An agent state (UCCE), as last reported by GC.</summary>
    public enum AgentState
    {
        /// <summary>No state seen yet.</summary>
        None = 0,
        /// <summary>Logged out.</summary>
        Logout = 1,
        /// <summary>Logging in (transient).</summary>
        Login = 2,
        /// <summary>Logged in, not taking calls.</summary>
        NotReady = 3,
        /// <summary>Waiting for a call.</summary>
        Ready = 4,
        /// <summary>A call is being offered.</summary>
        Reserved = 5,
        /// <summary>Reserved for an outbound campaign call.</summary>
        ReservedOutbound = 6,
        /// <summary>Reserved for an outbound preview call.</summary>
        ReservedOutboundPreview = 7,
        /// <summary>On a call.</summary>
        Talking = 8,
        /// <summary>A call is on hold.</summary>
        Hold = 9,
        /// <summary>Wrap-up after a call, not ready afterwards.</summary>
        Work = 10,
        /// <summary>Wrap-up after a call, ready afterwards.</summary>
        WorkReady = 11,
        /// <summary>A state this version does not know.</summary>
        Unknown = 12,
    }

    /// <summary>Where the client stands with the broker and GC.</summary>
    public enum GcConnectionStatus
    {
        /// <summary>Connecting to a broker.</summary>
        Connecting = 0,
        /// <summary>Connected; waiting for GC to say IN_SERVICE.</summary>
        WaitingForGc = 1,
        /// <summary>GC is in service: commands may be sent.</summary>
        InService = 2,
        /// <summary>GC said OUT_OF_SERVICE.</summary>
        OutOfService = 3,
        /// <summary>The broker connection dropped; reconnecting.</summary>
        Reconnecting = 4,
        /// <summary>Closed by the application.</summary>
        Closed = 5,
    }

    /// <summary>A call's (dialog's) state as Finesse reports it.</summary>
    public enum CallState
    {
        /// <summary>No state in the event.</summary>
        None = 0,
        /// <summary>Ringing at the agent.</summary>
        Alerting = 1,
        /// <summary>Connected.</summary>
        Active = 2,
        /// <summary>On hold.</summary>
        Held = 3,
        /// <summary>An outbound call is being set up.</summary>
        Initiating = 4,
        /// <summary>An outbound call was set up and rings at the far end.</summary>
        Initiated = 5,
        /// <summary>The call failed.</summary>
        Failed = 6,
        /// <summary>The call ended (Finesse's DROP / DROPPED).</summary>
        Dropped = 7,
        /// <summary>The call ended; the agent is in wrap-up.</summary>
        WrapUp = 8,
        /// <summary>The call was accepted.</summary>
        Accepted = 9,
        /// <summary>A state this version does not know (see the event's <c>StateName</c>).</summary>
        Unknown = 100,
    }
}
