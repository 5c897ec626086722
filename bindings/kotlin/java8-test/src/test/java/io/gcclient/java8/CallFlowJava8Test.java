package io.gcclient.java8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcclient.AgentAsync;
import io.gcclient.AgentState;
import io.gcclient.AgentSync;
import io.gcclient.ConnectionStatus;
import io.gcclient.ErrorCode;
import io.gcclient.Event;
import io.gcclient.EventData;
import io.gcclient.EventKind;
import io.gcclient.Gc;
import io.gcclient.GcClient;
import io.gcclient.GcConfig;
import io.gcclient.GcException;
import io.gcclient.ListenerRegistration;
import io.gcclient.NewCallInfo;
import io.gcclient.Notification;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A Java 8 CRM adapter: login, ready, an offered call answered, held, retrieved, released, wrapped up. */
@Timeout(120)
class CallFlowJava8Test {
    /** The simulator on a queue of its own; its stdout carries the dialog ids it offers. */
    static final class Sim implements AutoCloseable {
        final String queue = "Connector1-java8-" + System.nanoTime();
        final Process process;
        final BlockingQueue<String> out = new LinkedBlockingQueue<String>();
        final BlockingQueue<String> err = new LinkedBlockingQueue<String>();

        Sim(String path, String broker) throws Exception {
            process = new ProcessBuilder(path, "--broker", broker, "--queue", queue).start();
            pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), out);
            pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), err);
            awaitLine(err, "serving queue");
        }

        private static void pump(final BufferedReader reader, final BlockingQueue<String> into) {
            Thread t = new Thread(new Runnable() {
                public void run() {
                    try {
                        String line;
                        while ((line = reader.readLine()) != null) into.add(line);
                    } catch (Exception ignored) {
                        // the process ended
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        static String awaitLine(BlockingQueue<String> lines, String part) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.contains(part)) return line;
            }
            throw new AssertionError("the simulator never printed `" + part + "`");
        }

        String offer(String agent, String from) throws Exception {
            OutputStream in = process.getOutputStream();
            in.write(("offer " + agent + " " + from + " callVariable1=Java8\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            return awaitLine(out, "dialog ").replace("dialog ", "").trim();
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().write("quit\n".getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }

    private static NewCallInfo offered(BlockingQueue<Notification> received, String dialog) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Notification n = received.poll(100, TimeUnit.MILLISECONDS);
            Event e = n == null ? null : Gc.getEvent(n);
            if (e != null && e.getKind() == EventKind.NEW_INBOUND_CALL) {
                NewCallInfo call = ((EventData.NewInboundCall) e.getData()).getCall();
                if (dialog.equals(call.getDialogId())) return call;
            }
        }
        throw new AssertionError("no offer of " + dialog);
    }

    @Test
    void fullCallFlow() throws Exception {
        String stomp = System.getenv("GCCLIENT_TEST_STOMP");
        Assumptions.assumeTrue(stomp != null && !stomp.isEmpty(),
                "skipped: GCCLIENT_TEST_STOMP is not set; this test needs a broker (scripts/activemq.sh)");
        String simPath = System.getProperty("gcclient.sim");
        Assumptions.assumeTrue(simPath != null && !simPath.isEmpty() && !simPath.startsWith("$"),
                "skipped: no simulator given (-Dgcclient.sim=PATH)");
        String broker = "tcp://" + stomp;
        Sim sim = new Sim(simPath, broker);
        try {
            GcConfig config = GcConfig.builder(broker)
                    .queue(sim.queue)
                    .requestTimeout(Duration.ofSeconds(5))
                    .helloInterval(Duration.ofMillis(200))
                    .build();
            GcClient client = GcClient.connectBlocking(config);
            try {
                client.awaitInServiceBlocking(Duration.ofSeconds(10));
                assertEquals(ConnectionStatus.IN_SERVICE, client.getStatus());
                AgentSync alice = client.agent("1001").sync();
                AgentAsync aliceAsync = client.agent("1001").async();

                try {
                    alice.login("wrong", "5001");
                    throw new AssertionError("a wrong password logged in");
                } catch (GcException.Gc e) {
                    assertEquals(ErrorCode.SUBSCRIPTION_FAILED, e.getError().getCode());
                }

                final BlockingQueue<Notification> received = new LinkedBlockingQueue<Notification>();
                ListenerRegistration registration = client.agent("1001").addListener(received::add);
                Event login = aliceAsync.login("1234", "5001").get(10, TimeUnit.SECONDS);
                assertEquals(AgentState.NOT_READY, Gc.getAgentState(login));
                assertEquals(AgentState.READY, Gc.getAgentState(alice.makeReady()));

                String dialog = sim.offer("1001", "5551234");
                NewCallInfo call = offered(received, dialog);
                assertEquals("5551234", call.getFromAddress());
                assertEquals("Java8", call.getCallVariables().get(0));

                assertEquals("ACTIVE", Gc.getCallState(alice.answerCall(dialog)));
                assertEquals("HELD", Gc.getCallState(alice.holdCall(dialog)));
                assertEquals("ACTIVE", Gc.getCallState(aliceAsync.retrieveCall(dialog).get(10, TimeUnit.SECONDS)));
                Event updated = alice.updateCallVariables(dialog, Collections.singletonMap("callVariable2", "gold"));
                assertEquals("gold", ((EventData.InboundCall) updated.getData()).getCall().getCallVariables().get(1));
                assertEquals("DROP", Gc.getCallState(alice.releaseCall(dialog)));
                assertEquals(EventKind.DIALOG_STATE, alice.wrapUp("Sale", dialog).getKind());
                assertEquals(AgentState.READY, Gc.getAgentState(alice.makeReady()));

                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> aliceAsync.answerCall(dialog).get(10, TimeUnit.SECONDS));
                assertTrue(failed.getCause() instanceof GcException.Gc, String.valueOf(failed.getCause()));
                assertNotNull(failed.getCause().getMessage());
                assertTrue(registration.isActive());
                registration.close();
            } finally {
                client.close();
                client.close();
            }
            assertEquals(ConnectionStatus.CLOSED, client.getStatus());
            assertThrows(GcException.Closed.class, () -> client.agent("1001"));
        } finally {
            sim.close();
        }
    }
}
