package io.gcclient

import kotlinx.coroutines.runBlocking

/**
 * The commands of a [GcAgent], blocking the calling thread until GC
 * answers (or the request times out, see `ClientConfig.requestTimeoutMs`).
 * Every method throws [GcException] (checked, for Java's `catch`).
 *
 * ```java
 * BlockingAgent alice = client.agent("1001").getBlocking();
 * alice.login("secret", "5001");
 * alice.makeReady();
 * ```
 */
class BlockingAgent internal constructor(private val agent: GcAgent) {
    val id: String get() = agent.id

    /** What the client knows about this agent, kept from events. */
    val snapshot: AgentSnapshot get() = agent.snapshot

    private fun <T> block(call: suspend () -> T): T = runBlocking { call() }

    // Session
    /** `Connect` then `Login`; returns the state event. The credentials stay in memory for automatic re-login. */
    @Throws(GcException::class)
    fun login(password: String, extension: String): Event = block { agent.login(password, extension) }
    @Throws(GcException::class)
    fun loginSso(password: String, extension: String): Event = block { agent.loginSso(password, extension) }
    /** Mobile agent login (`callByCall` false means a nailed connection). */
    @Throws(GcException::class)
    fun mobileLogin(password: String, extension: String, dialNumber: String, callByCall: Boolean): Event = block { agent.mobileLogin(password, extension, dialNumber, callByCall) }
    /** `Connect` only (Finesse notifications without a login). */
    @JvmOverloads
    @Throws(GcException::class)
    fun connect(password: String, sso: Boolean = false) = block { agent.connect(password, sso) }
    /** `Logout`; stops automatic re-login. */
    @Throws(GcException::class)
    fun logout(): Event = block { agent.logout() }
    @Throws(GcException::class)
    fun logoutWithReason(reasonCode: String): Event = block { agent.logoutWithReason(reasonCode) }

    // State
    @Throws(GcException::class)
    fun getState(): Event = block { agent.getState() }
    @Throws(GcException::class)
    fun makeReady(): Event = block { agent.makeReady() }
    /** NOT_READY, with a reason code when given. */
    @JvmOverloads
    @Throws(GcException::class)
    fun makeNotReady(reasonCode: String? = null): Event = block { agent.makeNotReady(reasonCode) }
    @Throws(GcException::class)
    fun makeWorkReady(): Event = block { agent.makeWorkReady() }
    @Throws(GcException::class)
    fun makeWorkNotReady(): Event = block { agent.makeWorkNotReady() }

    // Calls
    @Throws(GcException::class)
    fun answer(dialogId: String): Event = block { agent.answer(dialogId) }
    @Throws(GcException::class)
    fun release(dialogId: String): Event = block { agent.release(dialogId) }
    @Throws(GcException::class)
    fun hold(dialogId: String): Event = block { agent.hold(dialogId) }
    @Throws(GcException::class)
    fun retrieve(dialogId: String): Event = block { agent.retrieve(dialogId) }
    @Throws(GcException::class)
    fun makeCall(number: String): Event = block { agent.makeCall(number) }
    @Throws(GcException::class)
    fun wrapUp(reason: String, dialogId: String): Event = block { agent.wrapUp(reason, dialogId) }
    @Throws(GcException::class)
    fun getDialogState(dialogId: String): Event = block { agent.getDialogState(dialogId) }
    /** Sets call variables, in order. */
    @Throws(GcException::class)
    fun updateCallVariables(dialogId: String, variables: Map<String, String>): Event = block { agent.updateCallVariables(dialogId, variables) }
    /** Blind transfer (`Transfer_sst`). */
    @Throws(GcException::class)
    fun singleStepTransfer(extension: String, dialogId: String): Event = block { agent.singleStepTransfer(extension, dialogId) }
    @Throws(GcException::class)
    fun consult(extension: String, dialogId: String): Event = block { agent.consult(extension, dialogId) }
    /** Completes a consult transfer. */
    @Throws(GcException::class)
    fun transfer(extension: String, dialogId: String): Event = block { agent.transfer(extension, dialogId) }
    @Throws(GcException::class)
    fun conference(extension: String, dialogId: String): Event = block { agent.conference(extension, dialogId) }
    @Throws(GcException::class)
    fun dropParticipant(extension: String, dialogId: String): Event = block { agent.dropParticipant(extension, dialogId) }

    // Outbound and callbacks
    @Throws(GcException::class)
    fun acceptOutboundPreview(dialogId: String): Event = block { agent.acceptOutboundPreview(dialogId) }
    @Throws(GcException::class)
    fun rejectOutboundPreview(dialogId: String): Event = block { agent.rejectOutboundPreview(dialogId) }
    @Throws(GcException::class)
    fun closeOutboundPreview(dialogId: String): Event = block { agent.closeOutboundPreview(dialogId) }
    @Throws(GcException::class)
    fun scheduleCallback(targetMediaAddress: String, dialogId: String, callbackTime: String, callbackNumber: String): Event = block { agent.scheduleCallback(targetMediaAddress, dialogId, callbackTime, callbackNumber) }
    @Throws(GcException::class)
    fun updateCallback(targetMediaAddress: String, dialogId: String, callbackTime: String, callbackNumber: String): Event = block { agent.updateCallback(targetMediaAddress, dialogId, callbackTime, callbackNumber) }
    @Throws(GcException::class)
    fun cancelCallback(targetMediaAddress: String, dialogId: String): Event = block { agent.cancelCallback(targetMediaAddress, dialogId) }
    @Throws(GcException::class)
    fun reclassifyCall(targetMediaAddress: String, dialogId: String, value: String): Event = block { agent.reclassifyCall(targetMediaAddress, dialogId, value) }

    // Supervisor
    /** Team members, optionally subscribing to their state changes. */
    @JvmOverloads
    @Throws(GcException::class)
    fun getTeamUsers(teamId: String, subscribe: Boolean = false): Event = block { agent.getTeamUsers(teamId, subscribe) }
    @Throws(GcException::class)
    fun getTeamUsersState(teamAgentId: String): Event = block { agent.getTeamUsersState(teamAgentId) }
    @Throws(GcException::class)
    fun silentMonitor(extension: String): Event = block { agent.silentMonitor(extension) }
    @Throws(GcException::class)
    fun endSilentMonitor(dialogId: String): Event = block { agent.endSilentMonitor(dialogId) }
    @Throws(GcException::class)
    fun bargeIn(extension: String, dialogId: String): Event = block { agent.bargeIn(extension, dialogId) }

    // Queries
    @Throws(GcException::class)
    fun getNotReadyReasonCodes(): Event = block { agent.getNotReadyReasonCodes() }
    @Throws(GcException::class)
    fun getLogoutReasonCodes(): Event = block { agent.getLogoutReasonCodes() }
    @Throws(GcException::class)
    fun getWrapUpReasons(): Event = block { agent.getWrapUpReasons() }
    /** All logged-in users (admin). */
    @Throws(GcException::class)
    fun getAllAgents(): Event = block { agent.getAllAgents() }
    @Throws(GcException::class)
    fun getQueueList(): Event = block { agent.getQueueList() }
    @Throws(GcException::class)
    fun getSkillGroups(): Event = block { agent.getSkillGroups() }
    @Throws(GcException::class)
    fun getSupervisors(): Event = block { agent.getSupervisors() }
    @Throws(GcException::class)
    fun getPhonebooks(): Event = block { agent.getPhonebooks() }
    @Throws(GcException::class)
    fun getTeamPhonebook(): Event = block { agent.getTeamPhonebook() }
    @Throws(GcException::class)
    fun getPhonebookContacts(phonebookId: String): Event = block { agent.getPhonebookContacts(phonebookId) }

    override fun toString() = "BlockingAgent($id)"
}
