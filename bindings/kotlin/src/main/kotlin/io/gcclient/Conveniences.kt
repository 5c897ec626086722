// Small conveniences over the generated types (Java: static methods of `Gc`).
@file:JvmName("Gc")

package io.gcclient

/** The library's message for any [GcException] (every variant carries one). */
val GcException.detail: String
    get() = when (this) {
        is GcException.InvalidArgument -> detail
        is GcException.Config -> detail
        is GcException.Transport -> detail
        is GcException.GcOutOfService -> detail
        is GcException.NotInService -> detail
        is GcException.Timeout -> detail
        is GcException.Gc -> detail
        is GcException.ConnectionLost -> detail
        is GcException.Closed -> detail
        is GcException.BrokerUnreachable -> detail
        is GcException.SessionLost -> detail
        is GcException.UnexpectedReply -> detail
        is GcException.BrokerAuth -> detail
        is GcException.Internal -> detail
    }

/** The agent state an `AgentState` event reports, else null. */
val Event.agentState: AgentState?
    get() = (data as? EventData.AgentState)?.info?.state

/** The dialog state (`ACTIVE`, `HELD`, `DROP`, ...) an `InboundCall` event reports, else null. */
val Event.callState: String?
    get() = (data as? EventData.InboundCall)?.call?.state

/** The GC event a notification carries, else null. */
val Notification.event: Event?
    get() = (this as? Notification.GcEvent)?.event
