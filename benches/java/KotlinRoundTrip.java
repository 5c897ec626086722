// gcclient's Kotlin/JVM binding (bindings/kotlin) driven from Java, for
// scripts/bench. Three modes, each printing one JSON line:
//
//   rt:     --stomp HOST:PORT --queue Q --n N --inflight K --warmup W
//           GetState round trips through the blocking API (AgentSync), K
//           threads each with its own agent -> {"samples_us": [...]}
//   future: the same through the CompletableFuture API (AgentAsync): K
//           chains, each sending its next request from the completion of
//           the previous one's future -> {"samples_us": [...]}
//   events: --stomp HOST:PORT --queue Q --events N [--warmup-events W]
//           N State events flooded to the client's topic from a raw socket,
//           counted in a listener (a callback on the library's thread),
//           after W unmeasured ones -> {"events_per_s": ..., "cpu_us_per_event": ...}
//           (the JVM process's CPU time during the measured flood)
// The queue's GC peer (bench peer) must be running.

import io.gcclient.AgentAsync;
import io.gcclient.AgentSync;
import io.gcclient.GcClient;
import io.gcclient.GcConfig;
import io.gcclient.ListenerRegistration;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.gcclient.Notification;

public class KotlinRoundTrip {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String stomp = null, queue = null;
        int n = 0, inflight = 1, warmup = 100, events = 0, warmupEvents = 0;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--stomp": stomp = args[i + 1]; break;
                case "--queue": queue = args[i + 1]; break;
                case "--n": n = Integer.parseInt(args[i + 1]); break;
                case "--inflight": inflight = Integer.parseInt(args[i + 1]); break;
                case "--warmup": warmup = Integer.parseInt(args[i + 1]); break;
                case "--events": events = Integer.parseInt(args[i + 1]); break;
                case "--warmup-events": warmupEvents = Integer.parseInt(args[i + 1]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        // Events: room for the whole flood (count and bytes; the builder has
        // no byte budget): this measures delivery, not what a full buffer drops.
        GcConfig config = events > 0
                ? GcConfig.fromToml("brokers = [\"tcp://" + stomp + "\"]\nqueue = \"" + queue
                        + "\"\nhello_interval_ms = 200\nevent_buffer = " + Math.max(Math.max(events, warmupEvents), 4096)
                        + "\nevent_buffer_bytes = 268435456\n")
                : GcConfig.builder("tcp://" + stomp).queue(queue).helloInterval(Duration.ofMillis(200)).build();
        try (GcClient client = GcClient.connectBlocking(config)) {
            client.awaitInServiceBlocking(Duration.ofSeconds(30));
            if (mode.equals("rt")) {
                roundTrips(client, n, inflight, warmup);
            } else if (mode.equals("future")) {
                futures(client, n, inflight, warmup);
            } else {
                events(client, stomp, events, warmupEvents);
            }
        }
        System.exit(0);
    }

    static void roundTrips(GcClient client, int n, int inflight, int warmup) throws Exception {
        List<Double> samples = Collections.synchronizedList(new ArrayList<>(n));
        List<Thread> threads = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int w = 0; w < inflight; w++) {
            AgentSync agent = client.agent(String.valueOf(1001 + w)).sync();
            int share = n / inflight + (w < n % inflight ? 1 : 0);
            int warm = warmup / inflight + 1;
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < warm; i++) agent.getState();
                    for (int i = 0; i < share; i++) {
                        long t0 = System.nanoTime();
                        agent.getState();
                        samples.add((System.nanoTime() - t0) / 1000.0);
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    failures.incrementAndGet();
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        if (failures.get() > 0) System.exit(1);
        print(samples);
    }

    static void futures(GcClient client, int n, int inflight, int warmup) throws Exception {
        List<Double> samples = Collections.synchronizedList(new ArrayList<>(n));
        List<CompletableFuture<Void>> chains = new ArrayList<>();
        for (int w = 0; w < inflight; w++) {
            AgentAsync agent = client.agent(String.valueOf(1001 + w)).async();
            int share = n / inflight + (w < n % inflight ? 1 : 0);
            CompletableFuture<Void> done = new CompletableFuture<>();
            chain(agent, -(warmup / inflight + 1), share, samples, done);
            chains.add(done);
        }
        CompletableFuture.allOf(chains.toArray(new CompletableFuture[0])).get(600, TimeUnit.SECONDS);
        print(samples);
    }

    /** Request number i of a chain (negative: warm-up), then the next one from its completion. */
    static void chain(AgentAsync agent, int i, int share, List<Double> samples, CompletableFuture<Void> done) {
        if (i == share) {
            done.complete(null);
            return;
        }
        long t0 = System.nanoTime();
        agent.getState().whenComplete((ev, err) -> {
            if (err != null) {
                done.completeExceptionally(err);
                return;
            }
            if (i >= 0) samples.add((System.nanoTime() - t0) / 1000.0);
            chain(agent, i + 1, share, samples, done);
        });
    }

    static void print(List<Double> samples) {
        StringBuilder sb = new StringBuilder("{\"samples_us\":[");
        for (int i = 0; i < samples.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(samples.get(i));
        }
        System.out.println(sb.append("]}"));
    }

    static void events(GcClient client, String stomp, int n, int warmup) throws Exception {
        AtomicReference<CountDownLatch> done = new AtomicReference<>(new CountDownLatch(0));
        AtomicReference<Notification> lagged = new AtomicReference<>();
        try (ListenerRegistration reg = client.addListener(note -> {
            if (note instanceof Notification.GcEvent) done.get().countDown();
            else if (note instanceof Notification.Lagged) {
                lagged.set(note);
                CountDownLatch d = done.get();
                while (d.getCount() > 0) d.countDown();
            }
        }, "flood")) {
            String topic = "/topic/" + client.getDestination();
            double[] run = {0, 0};
            for (int count : new int[] {warmup, n}) {
                if (count == 0) continue;
                run = flood(stomp, topic, count, done, lagged);
            }
            System.out.println("{\"events_per_s\":" + run[0] + ",\"cpu_us_per_event\":" + run[1] + "}");
        }
    }

    /** Floods `count` events and waits until the listener has seen them: events/s and
     *  the process's CPU time per event. */
    static double[] flood(String stomp, String topic, int count, AtomicReference<CountDownLatch> done,
                        AtomicReference<Notification> lagged) throws Exception {
        String body = "flood#State#READY##2025-01-31 14:30:00##1738333800000#Zoë Ünal#flood#5001##Zoë Ünal#zunal";
        StringBuilder frames = new StringBuilder();
        for (int i = 0; i < count; i++) {
            frames.append("SEND\ndestination:").append(topic).append("\ntype:\n\n").append(body).append('\0');
        }
        byte[] bytes = frames.toString().getBytes(StandardCharsets.UTF_8);
        String[] hp = stomp.split(":");
        try (Socket s = new Socket(hp[0], Integer.parseInt(hp[1]))) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0".getBytes(StandardCharsets.UTF_8));
            in.read(new byte[4096]);
            CountDownLatch latch = new CountDownLatch(count);
            done.set(latch);
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long t0 = System.nanoTime();
            long cpu0 = os.getProcessCpuTime();
            out.write(bytes);
            out.flush();
            if (!latch.await(300, TimeUnit.SECONDS)) {
                System.err.println("events missing: " + latch.getCount());
                System.exit(1);
            }
            if (lagged.get() != null) {
                System.err.println("the listener fell behind: " + lagged.get());
                System.exit(1);
            }
            double rate = count / ((System.nanoTime() - t0) / 1e9);
            return new double[] {rate, (os.getProcessCpuTime() - cpu0) / 1e3 / count};
        }
    }
}
