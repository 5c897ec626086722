namespace GenericConnector
{
    /// <summary>Status codes of the C ABI (<c>gc_status</c>), same numbers.</summary>
    public enum GcErrorCode
    {
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
        Logout = 1,
        Login = 2,
        NotReady = 3,
        Ready = 4,
        Reserved = 5,
        ReservedOutbound = 6,
        ReservedOutboundPreview = 7,
        Talking = 8,
        Hold = 9,
        Work = 10,
        WorkReady = 11,
        Unknown = 12,
    }

    /// <summary>Where the client stands with the broker and GC.</summary>
    public enum GcConnectionStatus
    {
        Connecting = 0,
        WaitingForGc = 1,
        InService = 2,
        OutOfService = 3,
        Reconnecting = 4,
        Closed = 5,
    }
}
