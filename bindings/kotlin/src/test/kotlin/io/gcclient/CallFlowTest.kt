package io.gcclient

import io.gcclient.support.await
import io.gcclient.support.isCall
import io.gcclient.support.isOffer
import io.gcclient.support.withSim
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class CallFlowTest {
    @Test
    fun `inbound call - offer with call variables, answer, hold, retrieve, release, wrap up`() = withSim { sim, client ->
        val alice = client.agent("1001")
        alice.login("1234", "5001")
        alice.makeReady()
        val events = alice.subscribe()

        val dialog = sim.offer("1001", "5551234", mapOf("callVariable1" to "VIP", "BAAccountNumber" to "42"))
        val offer = events.await { isOffer(it, dialog) }
        val call = (offer.data as EventData.NewInboundCall).call
        assertEquals("5551234", call.fromAddress)
        assertEquals("VIP", call.callVariables.first())
        assertEquals("42", call.callVariables.last())
        assertEquals(AgentState.RESERVED, alice.snapshot.state)

        assertEquals("ACTIVE", alice.answer(dialog).callState)
        assertEquals(AgentState.TALKING, alice.snapshot.state)
        assertEquals("HELD", alice.hold(dialog).callState)
        assertEquals(AgentState.HOLD, alice.snapshot.state)
        assertEquals("ACTIVE", alice.retrieve(dialog).callState)

        val updated = alice.updateCallVariables(dialog, mapOf("callVariable2" to "gold"))
        assertEquals("gold", (updated.data as EventData.InboundCall).call.callVariables[1])
        assertTrue(alice.snapshot.dialogs.any { it.dialogId == dialog }, "the snapshot tracks the dialog")

        assertEquals("DROP", alice.release(dialog).callState)
        assertEquals(AgentState.WORK_READY, alice.snapshot.state)
        val wrapped = alice.wrapUp("Sale", dialog)
        assertTrue(wrapped.data is EventData.DialogState, "wrap-up answers with DialogState: $wrapped")
        assertEquals(AgentState.READY, alice.makeReady().agentState)
        assertTrue(sim.calls().none { it.startsWith(dialog) }, "the call is over: ${sim.calls()}")
    }

    @Test
    fun `the customer hangs up`() = withSim { sim, client ->
        val bob = client.agent("1002")
        bob.login("1234", "5002")
        bob.makeReady()
        val events = bob.subscribe()
        val dialog = sim.offer("1002", "5550001")
        events.await { isOffer(it, dialog) }
        bob.answer(dialog)
        sim.hangUp(dialog)
        events.await { isCall(it, dialog, "DROP") }
        assertTrue(bob.snapshot.dialogs.none { it.dialogId == dialog }, "a dropped dialog leaves the snapshot")
    }

    @Test
    fun `consult and transfer between two agents of one client`() = withSim { sim, client ->
        val alice = client.agent("1001")
        val bob = client.agent("1002")
        alice.login("1234", "5001")
        bob.login("1234", "5002")
        alice.makeReady()
        bob.makeReady()
        val aliceEvents = alice.subscribe()
        val bobEvents = bob.subscribe()
        val dialog = sim.offer("1001", "5557777")
        aliceEvents.await { isOffer(it, dialog) }
        alice.answer(dialog)

        val consult = alice.consult("5002", dialog).data as EventData.ConsultCall
        assertEquals("INITIATED", consult.call.state)
        val consultId = consult.call.associatedDialogId!!
        bobEvents.await { isOffer(it, consultId) }
        bob.answer(consultId)
        assertEquals("DROP", alice.transfer("5002", dialog).callState)
        // The guide's Normal InboundCall form carries no DialogID for ACTIVE.
        bobEvents.await { e ->
            (e.data as? EventData.InboundCall)?.call?.let {
                it.state == "ACTIVE" && it.callType == "TRANSFER" && (it.dialogId == null || it.dialogId == dialog)
            } == true
        }
        assertEquals(AgentState.TALKING, bob.snapshot.state)
    }
}
