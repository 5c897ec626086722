package io.gcclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcclient.support.Sim;
import io.gcclient.support.TestEnv;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The API as a Java CRM adapter sees it: builder, blocking calls, a listener, checked errors. */
@Timeout(60)
class JavaApiTest {
    private static NewCallInfo nextOffer(BlockingQueue<Notification> queue, String dialogId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Notification n = queue.poll(100, TimeUnit.MILLISECONDS);
            if (n instanceof Notification.GcEvent g
                    && g.getEvent().getData() instanceof EventData.NewInboundCall offer
                    && dialogId.equals(offer.getCall().getDialogId())) {
                return offer.getCall();
            }
        }
        throw new AssertionError("no NewInboundCall for " + dialogId);
    }

    @Test
    void blockingCallsListenerAndTypedErrors() throws Exception {
        try (Sim sim = Sim.start()) {
            GcConfig config = GcConfig.builder(TestEnv.getBrokerUrl())
                    .queue(sim.getQueue())
                    .requestTimeout(Duration.ofSeconds(5))
                    .build();
            try (GcClient client = GcClient.connectBlocking(config)) {
                client.awaitInServiceBlocking(Duration.ofSeconds(10));
                AgentSync alice = client.agent("1001").sync();

                GcException.Gc wrong = assertThrows(GcException.Gc.class, () -> alice.login("wrong", "5001"));
                assertEquals(ErrorCode.SUBSCRIPTION_FAILED, wrong.getError().getCode());

                BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
                try (ListenerRegistration registration = client.addListener(received::add, "1001")) {
                    Event state = alice.login("1234", "5001");
                    assertTrue(state.getData() instanceof EventData.AgentState s
                            && s.getInfo().getState() == AgentState.NOT_READY, state.toString());
                    alice.makeReady();

                    String dialog = sim.offer("1001", "5551234", Map.of("callVariable1", "VIP"));
                    NewCallInfo call = nextOffer(received, dialog);
                    assertEquals("5551234", call.getFromAddress());
                    assertEquals(EventKind.NEW_INBOUND_CALL, EventKind.valueOf("NEW_INBOUND_CALL"));
                    assertEquals("VIP", call.getCallVariables().get(0));
                    assertTrue(registration.isActive());

                    Event answered = alice.answer(dialog);
                    assertEquals("ACTIVE", ((EventData.InboundCall) answered.getData()).getCall().getState());
                    alice.release(dialog);
                    try {
                        alice.answer(dialog);
                        throw new AssertionError("answering a dropped call succeeded");
                    } catch (GcException.Gc e) {
                        assertNotNull(e.getError().getSummary());
                    }
                }
                EventSubscription sub = client.subscribe();
                alice.makeNotReady("1");
                Notification n = sub.poll(Duration.ofSeconds(10));
                assertTrue(n instanceof Notification.GcEvent, String.valueOf(n));
                sub.close();
            }
        }
    }
}
