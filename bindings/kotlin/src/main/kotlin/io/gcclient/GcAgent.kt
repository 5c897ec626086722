package io.gcclient

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.mapNotNull

/**
 * One agent on a [GcClient], with one suspending method per command of the
 * guide. Commands GC answers return the reply [Event]; a GC error arrives
 * as [GcException.Gc] (its `error.code` is a typed [ErrorCode]), an
 * argument the protocol cannot carry as [GcException.InvalidArgument]
 * before anything is sent. Cancelling the caller cancels the command.
 *
 * Java uses [blocking].
 */
class GcAgent internal constructor(private val inner: Agent) {
    /** The agent id. */
    val id: String = inner.id()

    /** What the client knows about this agent, kept from events. */
    val snapshot: AgentSnapshot get() = inner.snapshot()

    /** The same commands, blocking the calling thread (for Java). */
    val blocking: BlockingAgent by lazy { BlockingAgent(this) }

    /** Subscribes now to this agent's notifications. */
    fun subscribe(): EventSubscription = EventSubscription(inner.events())

    /** This agent's notifications, subscribed when collection starts. */
    fun notifications(): Flow<Notification> = flow { subscribe().use { emitAll(it.asFlow()) } }

    /** This agent's GC events, subscribed when collection starts. */
    fun events(): Flow<Event> = notifications().mapNotNull { it.event }

    internal fun stream(): EventStream = inner.events()

    internal fun freeHandle() = inner.close()

    // Session
    /** `Connect` then `Login`; returns the state event. The credentials stay in memory for automatic re-login. */
    suspend fun login(password: String, extension: String): Event = inner.login(password, extension)
    suspend fun loginSso(password: String, extension: String): Event = inner.loginSso(password, extension)
    /** Mobile agent login (`callByCall` false means a nailed connection). */
    suspend fun mobileLogin(password: String, extension: String, dialNumber: String, callByCall: Boolean): Event =
        inner.mobileLogin(password, extension, dialNumber, callByCall)
    /** `Connect` only (Finesse notifications without a login). */
    suspend fun connect(password: String, sso: Boolean = false) = inner.connect(password, sso)
    /** `Logout`; stops automatic re-login. */
    suspend fun logout(): Event = inner.logout()
    suspend fun logoutWithReason(reasonCode: String): Event = inner.logoutWithReason(reasonCode)

    // State
    suspend fun getState(): Event = inner.getState()
    suspend fun makeReady(): Event = inner.makeReady()
    /** NOT_READY, with a reason code when given. */
    suspend fun makeNotReady(reasonCode: String? = null): Event = inner.makeNotReady(reasonCode)
    suspend fun makeWorkReady(): Event = inner.makeWorkReady()
    suspend fun makeWorkNotReady(): Event = inner.makeWorkNotReady()

    // Calls
    suspend fun answer(dialogId: String): Event = inner.answer(dialogId)
    suspend fun release(dialogId: String): Event = inner.release(dialogId)
    suspend fun hold(dialogId: String): Event = inner.hold(dialogId)
    suspend fun retrieve(dialogId: String): Event = inner.retrieve(dialogId)
    suspend fun makeCall(number: String): Event = inner.makeCall(number)
    suspend fun wrapUp(reason: String, dialogId: String): Event = inner.wrapUp(reason, dialogId)
    suspend fun getDialogState(dialogId: String): Event = inner.getDialogState(dialogId)
    /** Sets call variables, in order. */
    suspend fun updateCallVariables(dialogId: String, variables: Map<String, String>): Event =
        inner.updateCallVariables(dialogId, variables.map { (k, v) -> KeyValue(k, v) })
    /** Blind transfer (`Transfer_sst`). */
    suspend fun singleStepTransfer(extension: String, dialogId: String): Event = inner.singleStepTransfer(extension, dialogId)
    suspend fun consult(extension: String, dialogId: String): Event = inner.consult(extension, dialogId)
    /** Completes a consult transfer. */
    suspend fun transfer(extension: String, dialogId: String): Event = inner.transfer(extension, dialogId)
    suspend fun conference(extension: String, dialogId: String): Event = inner.conference(extension, dialogId)
    suspend fun dropParticipant(extension: String, dialogId: String): Event = inner.dropParticipant(extension, dialogId)

    // Outbound and callbacks
    suspend fun acceptOutboundPreview(dialogId: String): Event = inner.acceptOutboundPreview(dialogId)
    suspend fun rejectOutboundPreview(dialogId: String): Event = inner.rejectOutboundPreview(dialogId)
    suspend fun closeOutboundPreview(dialogId: String): Event = inner.closeOutboundPreview(dialogId)
    suspend fun scheduleCallback(targetMediaAddress: String, dialogId: String, callbackTime: String, callbackNumber: String): Event =
        inner.scheduleCallback(targetMediaAddress, dialogId, callbackTime, callbackNumber)
    suspend fun updateCallback(targetMediaAddress: String, dialogId: String, callbackTime: String, callbackNumber: String): Event =
        inner.updateCallback(targetMediaAddress, dialogId, callbackTime, callbackNumber)
    suspend fun cancelCallback(targetMediaAddress: String, dialogId: String): Event =
        inner.cancelCallback(targetMediaAddress, dialogId)
    suspend fun reclassifyCall(targetMediaAddress: String, dialogId: String, value: String): Event =
        inner.reclassifyCall(targetMediaAddress, dialogId, value)

    // Supervisor
    /** Team members, optionally subscribing to their state changes. */
    suspend fun getTeamUsers(teamId: String, subscribe: Boolean = false): Event = inner.getTeamUsers(teamId, subscribe)
    suspend fun getTeamUsersState(teamAgentId: String): Event = inner.getTeamUsersState(teamAgentId)
    suspend fun silentMonitor(extension: String): Event = inner.silentMonitor(extension)
    suspend fun endSilentMonitor(dialogId: String): Event = inner.endSilentMonitor(dialogId)
    suspend fun bargeIn(extension: String, dialogId: String): Event = inner.bargeIn(extension, dialogId)

    // Queries
    suspend fun getNotReadyReasonCodes(): Event = inner.getNotReadyReasonCodes()
    suspend fun getLogoutReasonCodes(): Event = inner.getLogoutReasonCodes()
    suspend fun getWrapUpReasons(): Event = inner.getWrapUpReasons()
    /** All logged-in users (admin). */
    suspend fun getAllAgents(): Event = inner.getAllAgents()
    suspend fun getQueueList(): Event = inner.getQueueList()
    suspend fun getSkillGroups(): Event = inner.getSkillGroups()
    suspend fun getSupervisors(): Event = inner.getSupervisors()
    suspend fun getPhonebooks(): Event = inner.getPhonebooks()
    suspend fun getTeamPhonebook(): Event = inner.getTeamPhonebook()
    suspend fun getPhonebookContacts(phonebookId: String): Event = inner.getPhonebookContacts(phonebookId)

    override fun toString() = "GcAgent($id)"
}
