// A plain Java JMS client (activemq-client over OpenWire) doing the GC
// request/reply by hand, for scripts/bench: a TextMessage with JMSType
// "GetState#1001", a JMSCorrelationID and JMSReplyTo on a topic, to the
// command queue; replies matched by correlation id in a MessageListener.
// Prints one JSON line: {"samples_us": [...]}.
//
//   java -cp jms-peer.jar:classes JmsRoundTrip --openwire HOST:PORT --queue Q \
//       --n N --inflight K --warmup W

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.jms.Connection;
import javax.jms.DeliveryMode;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Session;
import javax.jms.TextMessage;
import javax.jms.Topic;

import org.apache.activemq.ActiveMQConnectionFactory;

public class JmsRoundTrip {
    public static void main(String[] args) throws Exception {
        String openwire = null, queue = null;
        int n = 0, inflight = 1, warmup = 100;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--openwire": openwire = args[i + 1]; break;
                case "--queue": queue = args[i + 1]; break;
                case "--n": n = Integer.parseInt(args[i + 1]); break;
                case "--inflight": inflight = Integer.parseInt(args[i + 1]); break;
                case "--warmup": warmup = Integer.parseInt(args[i + 1]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (openwire == null || queue == null || n <= 0) {
            throw new IllegalArgumentException("--openwire, --queue and --n are required");
        }
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://" + openwire);
        factory.setUseAsyncSend(true); // as GC's non-persistent sends are
        Connection conn = factory.createConnection();
        conn.start();
        // A session is single-threaded in JMS: one for sending, one for the listener.
        Session sendSession = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session recvSession = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic replyTo = recvSession.createTopic("jms." + UUID.randomUUID().toString().replace("-", ""));
        MessageProducer producer = sendSession.createProducer(sendSession.createQueue(queue));
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);

        final int total = n + warmup;
        final int warm = warmup;
        final Map<String, Long> started = new ConcurrentHashMap<>();
        final List<Long> samples = new ArrayList<>(n);
        final Semaphore slots = new Semaphore(inflight);
        final CountDownLatch done = new CountDownLatch(total);
        MessageConsumer consumer = recvSession.createConsumer(replyTo);
        consumer.setMessageListener(m -> {
            long now = System.nanoTime();
            try {
                String cid = m.getJMSCorrelationID();
                Long t = cid == null ? null : started.remove(cid);
                if (t == null) return;
                if (Integer.parseInt(cid.substring(1)) >= warm) {
                    synchronized (samples) { samples.add(now - t); }
                }
                done.countDown();
                slots.release();
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        for (int i = 0; i < total; i++) {
            slots.acquire();
            TextMessage msg = sendSession.createTextMessage("");
            msg.setJMSType("GetState#1001");
            String cid = "c" + i;
            msg.setJMSCorrelationID(cid);
            msg.setJMSReplyTo(replyTo);
            started.put(cid, System.nanoTime());
            producer.send(msg);
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            System.err.println("replies missing: " + done.getCount());
            System.exit(1);
        }
        conn.close();
        StringBuilder sb = new StringBuilder("{\"samples_us\":[");
        synchronized (samples) {
            for (int i = 0; i < samples.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(samples.get(i) / 1000.0);
            }
        }
        System.out.println(sb.append("]}"));
    }
}
