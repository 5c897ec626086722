// Small conveniences over the event values (Java: static methods of `Gc`).
@file:JvmName("Gc")

package io.gcclient

/** The agent state an `AgentState` event reports, else null. */
public val Event.agentState: AgentState?
    get() = (data as? EventData.AgentState)?.info?.state

/** The dialog state (`ACTIVE`, `HELD`, `DROP`, ...) an `InboundCall` event reports, else null. */
public val Event.callState: String?
    get() = (data as? EventData.InboundCall)?.call?.state

/** The GC event a notification carries, else null. */
public val Notification.event: Event?
    get() = (this as? Notification.GcEvent)?.event

/** The version of the native library. */
public fun version(): String = io.gcclient.internal.version()
