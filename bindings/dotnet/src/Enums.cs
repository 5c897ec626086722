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

    /// <summary>What an event is (<c>gc_event_kind</c>), same numbers.</summary>
    public enum GcEventKind
    {
        System = 0,
        DestinationReconnect = 1,
        CallbackScheduled = 2,
        AgentInfo = 3,
        AgentState = 4,
        ReLogin = 5,
        DialogStatus = 6,
        ReasonCodes = 7,
        InboundCall = 8,
        InboundCallFailed = 9,
        NewInboundCall = 10,
        NewOutboundPreviewCall = 11,
        DialogState = 12,
        ConsultCall = 13,
        TeamInfoIds = 14,
        TeamInfoNames = 15,
        QueueList = 16,
        AgentsList = 17,
        TeamUsersList = 18,
        TeamMemberStateChanged = 19,
        ConferenceParticipants = 20,
        PrintStatusBar = 21,
        Phonebooks = 22,
        PhonebookContacts = 23,
        TeamPhonebooks = 24,
        CallbackMessage = 25,
        /// <summary>GC's Error event.</summary>
        Error = 26,
        /// <summary>A well-formed event of a type this version does not know.</summary>
        Unknown = 27,
        /// <summary>A known type whose fields could not be read.</summary>
        Malformed = 28,
        /// <summary>The connection status changed.</summary>
        Status = 100,
        /// <summary>An automatic re-login finished.</summary>
        Relogin = 101,
        /// <summary>The broker's clock differs from ours.</summary>
        ClockSkew = 102,
        /// <summary>Event handlers fell behind and events were lost.</summary>
        Lagged = 103,
        /// <summary>An inbound message over the size limit was dropped unread (fields size, destination).</summary>
        OversizedFrame = 104,
        /// <summary>The broker refused the login (fields broker, message); retries stop unless configured.</summary>
        BrokerAuth = 105,
    }
}
