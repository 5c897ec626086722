// A CRM adapter skeleton: one agent's desktop in a CRM. It logs the agent
// in, goes READY and, when a call is offered (NewInboundCall), pops the
// customer's record using the call variables, before the agent answers.
//
//   CrmAdapterKt BROKER QUEUE AGENT PASSWORD EXTENSION [CALLS]
//
// CALLS: stop after that many screen pops; default: run until Ctrl-C. Against the simulator, offer a call from its console:
//   offer 1001 5551234 callVariable1=Zoe BAAccountNumber=42
package example

import io.gcclient.GcConfig
import io.gcclient.EventData
import io.gcclient.GcClient
import io.gcclient.GcException
import io.gcclient.NewCallInfo
import io.gcclient.Notification
import io.gcclient.event
import kotlinx.coroutines.flow.mapNotNull
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.runBlocking
import kotlin.system.exitProcess
import kotlin.time.Duration.Companion.seconds

/** A customer as the CRM stores it. */
data class Customer(val account: String, val name: String, val tier: String, val openCases: List<String>)

/** Stands in for the CRM's lookup API. */
object Crm {
    private val customers = listOf(
        Customer("42", "Zoë Ünal", "Gold", listOf("#1182 router replacement")),
        Customer("77", "Marek Łódź", "Silver", emptyList()),
    )

    fun byAccount(account: String): Customer? = customers.find { it.account == account }
}

/**
 * The deployment's call variables in GC's positional order (the connector's
 * configuration says which); the adapter reads them by name.
 */
val CALL_VARIABLES = listOf("callVariable1", "callVariable2", "callVariable3", "callVariable4", "callVariable5", "BAAccountNumber")

fun NewCallInfo.variables(): Map<String, String> =
    CALL_VARIABLES.zip(callVariables).filter { (_, v) -> v.isNotEmpty() }.toMap()

fun popScreen(call: NewCallInfo) {
    val vars = call.variables()
    val customer = vars["BAAccountNumber"]?.let(Crm::byAccount)
    println("SCREEN POP dialog ${call.dialogId} from ${call.fromAddress}")
    if (customer == null) {
        println("  unknown caller; call variables: $vars")
    } else {
        println("  customer: ${customer.name} (account ${customer.account}, ${customer.tier})")
        customer.openCases.forEach { println("  open case: $it") }
    }
    System.out.flush()
}

fun main(args: Array<String>) = runBlocking {
    if (args.size !in 5..6) {
        System.err.println("usage: CrmAdapterKt BROKER QUEUE AGENT PASSWORD EXTENSION [CALLS]")
        exitProcess(2)
    }
    val (broker, queue, agentId, password, extension) = args
    val calls = args.getOrNull(5)?.toIntOrNull() ?: Int.MAX_VALUE

    try {
        GcClient.connect(GcConfig.builder(broker).queue(queue).build()).use { client ->
            client.awaitInService(30.seconds)
            val agent = client.agent(agentId)
            val events = agent.subscribe()
            agent.login(password, extension)
            agent.makeReady()
            println("ready: agent $agentId on ${client.destination}")
            System.out.flush()

            events.notifications()
                .onEach { n ->
                    when (n) {
                        is Notification.Status -> println("connection: ${n.status} ${n.detail.orEmpty()}")
                        is Notification.Relogin -> println("logged in again after a reconnect: ${n.error ?: "ok"}")
                        else -> {}
                    }
                }
                .mapNotNull { (it.event?.data as? EventData.NewInboundCall)?.call }
                .take(calls)
                .collect(::popScreen)
            events.close()
            // The agent's calls belong to the phone; log out only when idle.
            if (agent.snapshot.dialogs.isEmpty()) {
                agent.logout()
                println("logged out")
            } else {
                println("done: agent $agentId has a call, staying logged in")
            }
        }
    } catch (e: GcException) {
        System.err.println("gcclient: ${e.message}")
        exitProcess(1)
    }
}
