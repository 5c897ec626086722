/*
 * A CRM adapter skeleton in plain Java: one agent's desktop in a CRM. It
 * logs the agent in, goes READY and, when a call is offered
 * (NewInboundCall), pops the customer's record using the call variables.
 *
 *   CrmAdapter BROKER QUEUE AGENT PASSWORD EXTENSION [CALLS]
 *
 * CALLS: stop after that many screen pops; default: run until Ctrl-C.
 * Against the simulator, offer a call from its console:
 *   offer 1001 5551234 callVariable1=Zoe BAAccountNumber=42
 *
 * Notifications arrive on the listener's own thread; the listener only
 * hands offers to main(), which does the CRM work.
 */
package example;

import io.gcclient.AgentSync;
import io.gcclient.GcAgent;
import io.gcclient.EventData;
import io.gcclient.Gc;
import io.gcclient.GcClient;
import io.gcclient.GcConfig;
import io.gcclient.GcException;
import io.gcclient.ListenerRegistration;
import io.gcclient.NewCallInfo;
import io.gcclient.Notification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

public final class CrmAdapter {
    /** The deployment's call variables in GC's positional order. */
    static final List<String> CALL_VARIABLES = List.of(
            "callVariable1", "callVariable2", "callVariable3", "callVariable4", "callVariable5", "BAAccountNumber");

    record Customer(String account, String name, String tier, List<String> openCases) {}

    /** Stands in for the CRM's lookup API. */
    static final Map<String, Customer> CRM = Map.of(
            "42", new Customer("42", "Zoë Ünal", "Gold", List.of("#1182 router replacement")),
            "77", new Customer("77", "Marek Łódź", "Silver", List.of()));

    static Map<String, String> variables(NewCallInfo call) {
        Map<String, String> named = new LinkedHashMap<>();
        List<String> values = call.getCallVariables();
        for (int i = 0; i < Math.min(values.size(), CALL_VARIABLES.size()); i++) {
            if (!values.get(i).isEmpty()) named.put(CALL_VARIABLES.get(i), values.get(i));
        }
        return named;
    }

    static void popScreen(NewCallInfo call) {
        Map<String, String> vars = variables(call);
        Customer customer = CRM.get(vars.getOrDefault("BAAccountNumber", ""));
        System.out.println("SCREEN POP dialog " + call.getDialogId() + " from " + call.getFromAddress());
        if (customer == null) {
            System.out.println("  unknown caller; call variables: " + vars);
        } else {
            System.out.println("  customer: " + customer.name() + " (account " + customer.account() + ", " + customer.tier() + ")");
            customer.openCases().forEach(c -> System.out.println("  open case: " + c));
        }
        System.out.flush();
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 5 || args.length > 6) {
            System.err.println("usage: CrmAdapter BROKER QUEUE AGENT PASSWORD EXTENSION [CALLS]");
            System.exit(2);
        }
        int calls = args.length == 6 ? Integer.parseInt(args[5]) : Integer.MAX_VALUE;
        BlockingQueue<NewCallInfo> offers = new LinkedBlockingQueue<>();

        try {
            GcConfig config = GcConfig.builder(args[0]).queue(args[1]).build();
            try (GcClient client = GcClient.connectBlocking(config)) {
                client.awaitInServiceBlocking(Duration.ofSeconds(30));
                GcAgent handle = client.agent(args[2]);
                AgentSync agent = handle.sync();
                try (ListenerRegistration listener = client.addListener(n -> {
                    if (n instanceof Notification.GcEvent g
                            && g.getEvent().getData() instanceof EventData.NewInboundCall offer) {
                        offers.add(offer.getCall());
                    } else if (n instanceof Notification.Status s) {
                        System.out.println("connection: " + s.getStatus());
                    }
                }, args[2])) {
                    agent.login(args[3], args[4]);
                    agent.makeReady();
                    System.out.println("ready: agent " + handle.getId() + " on " + client.getDestination());
                    System.out.flush();
                    for (int i = 0; i < calls; i++) {
                        popScreen(offers.take());
                    }
                }
                // The agent's calls belong to the phone; log out only when idle.
                if (handle.getSnapshot().getDialogs().isEmpty()) {
                    agent.logout();
                    System.out.println("logged out");
                } else {
                    System.out.println("done: agent " + handle.getId() + " has a call, staying logged in");
                }
            }
        } catch (GcException e) {
            System.err.println("gcclient: " + e.getMessage());
            System.exit(1);
        }
    }
}
