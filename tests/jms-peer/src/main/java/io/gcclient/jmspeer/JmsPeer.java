package io.gcclient.jmspeer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;

import javax.jms.BytesMessage;
import javax.jms.Connection;
import javax.jms.DeliveryMode;
import javax.jms.Destination;
import javax.jms.JMSException;
import javax.jms.MapMessage;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.ObjectMessage;
import javax.jms.Queue;
import javax.jms.Session;
import javax.jms.StreamMessage;
import javax.jms.TextMessage;
import javax.jms.Topic;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.util.ByteSequence;

/**
 * A scriptable JMS peer that plays the Generic Connector's side of the wire in
 * gcclient's integration tests.
 *
 * <p>It connects to ActiveMQ over OpenWire (exactly as GC does), consumes one
 * queue and reports every message it receives as one JSON line on stdout. It
 * reads commands, one JSON object per line, from stdin. See docs/interop.md.
 *
 * <pre>
 * java -jar jms-peer.jar --broker tcp://127.0.0.1:61616 --queue Connector1
 *
 * stdout events:
 *   {"event":"ready","broker":...,"queue":...}
 *   {"event":"message","jmsClass":"TextMessage",...}       one per consumed message
 *   {"event":"autoReplied","correlationId":...,"replyTo":...,"body":...}
 *   {"event":"ok","op":"reply"}                             after each command
 *   {"event":"error","op":"reply","message":"..."}          a command failed
 *   {"event":"error","op":null,"source":"...","message":"..."}  asynchronous failure
 *
 * stdin commands:
 *   {"op":"reply","correlationId":"c1","replyTo":"topic://x","body":"..."}
 *   {"op":"send","topic":"x","body":"...","bytes":false,"jmsType":null}
 *   {"op":"auto","rules":[{"typePrefix":"Hello#","reply":"System#IN_SERVICE"}]}
 *   {"op":"ping"}
 *   {"op":"quit"}
 * </pre>
 *
 * <p>Optional command fields: {@code reply} and {@code send} accept
 * {@code "jmsType"} (reply default "" as GC sends; send default: not set),
 * {@code "correlationId"} (send), {@code "persistent"} (default true, the JMS
 * default that GC uses), {@code "timestamp"} (default true; false disables the
 * producer's JMSTimestamp) and {@code "bytes"}. An {@code auto} rule whose
 * {@code reply} is null swallows matching messages (as GC does for a
 * successful Connect). The first matching rule wins; {@code auto} replaces all
 * earlier rules; {@code {"op":"auto","rules":[]}} turns auto-replies off.
 *
 * <p>The peer never dies silently: every failure is printed as an error line.
 * It exits when stdin reaches EOF or after {@code quit}.
 */
public final class JmsPeer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** stdout as UTF-8; every line is written and flushed under this lock. */
    private static final PrintStream OUT =
            new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);

    private static final class Rule {
        final String typePrefix;
        final String reply; // null: swallow, no reply
        final String jmsType;

        Rule(String typePrefix, String reply, String jmsType) {
            this.typePrefix = typePrefix;
            this.reply = reply;
            this.jmsType = jmsType;
        }
    }

    private final Connection connection;
    /** Session used only by the consumer's listener thread. */
    private final Session consumerSession;
    /** Session for every send (commands and auto-replies); guarded by {@code this}. */
    private final Session producerSession;
    private final MessageProducer producer;
    private volatile List<Rule> rules = List.of();

    private JmsPeer(Connection connection, Session consumerSession, Session producerSession,
                    MessageProducer producer) {
        this.connection = connection;
        this.consumerSession = consumerSession;
        this.producerSession = producerSession;
        this.producer = producer;
    }

    public static void main(String[] args) {
        String broker = "tcp://127.0.0.1:61616";
        String queue = "Connector1";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (("--broker".equals(a) || "--queue".equals(a)) && i + 1 < args.length) {
                if ("--broker".equals(a)) {
                    broker = args[++i];
                } else {
                    queue = args[++i];
                }
            } else if ("--help".equals(a) || "-h".equals(a)) {
                System.err.println("usage: java -jar jms-peer.jar --broker tcp://host:port --queue NAME");
                System.exit(0);
            } else {
                fatal("bad argument: " + a, null);
            }
        }

        JmsPeer peer;
        try {
            peer = connect(broker, queue);
        } catch (Throwable t) {
            fatal("cannot connect to " + broker + " / queue " + queue + ": " + t, t);
            return;
        }

        ObjectNode ready = NODES.objectNode();
        ready.put("event", "ready");
        ready.put("broker", broker);
        ready.put("queue", queue);
        emit(ready);

        int code = peer.commandLoop();
        peer.close();
        OUT.flush();
        System.exit(code);
    }

    private static JmsPeer connect(String broker, String queueName) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker);
        Connection connection = factory.createConnection();
        connection.setExceptionListener(e -> asyncError("connection", e));
        Session consumerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        // Anonymous producer: the destination is chosen per message.
        MessageProducer producer = producerSession.createProducer(null);
        JmsPeer peer = new JmsPeer(connection, consumerSession, producerSession, producer);
        MessageConsumer consumer = consumerSession.createConsumer(consumerSession.createQueue(queueName));
        consumer.setMessageListener(peer::onMessage);
        connection.start();
        return peer;
    }

    // ------------------------------------------------------------------ consuming

    private void onMessage(Message m) {
        long receivedAt = System.currentTimeMillis();
        try {
            emit(describe(m, receivedAt));
        } catch (Throwable t) {
            asyncError("onMessage", t);
            return;
        }
        try {
            autoReply(m);
        } catch (Throwable t) {
            asyncError("auto", t);
        }
    }

    private static ObjectNode describe(Message m, long receivedAt) throws JMSException {
        ObjectNode o = NODES.objectNode();
        o.put("event", "message");
        o.put("jmsClass", jmsClass(m));
        o.put("jmsType", m.getJMSType());
        o.put("correlationId", m.getJMSCorrelationID());
        o.put("replyTo", destinationName(m.getJMSReplyTo()));
        o.put("expiration", m.getJMSExpiration());
        o.put("deliveryMode", m.getJMSDeliveryMode());
        o.put("timestamp", m.getJMSTimestamp());
        o.put("receivedAt", receivedAt);
        o.put("messageId", m.getJMSMessageID());
        o.put("destination", destinationName(m.getJMSDestination()));
        o.put("priority", m.getJMSPriority());
        o.put("redelivered", m.getJMSRedelivered());

        if (m instanceof TextMessage) {
            try {
                o.put("body", ((TextMessage) m).getText());
            } catch (JMSException e) {
                // What GC would see too: the text cannot be decoded (e.g. AMQ-8398:
                // a STOMP body with 4-byte UTF-8 is not valid "modified UTF-8").
                // Report the message anyway, with the undecodable raw bytes.
                o.putNull("body");
                o.put("bodyError", describeThrowable(e));
                byte[] raw = rawTextContent(m);
                if (raw != null) {
                    o.put("bodyRawBase64", Base64.getEncoder().encodeToString(raw));
                }
            }
        } else if (m instanceof BytesMessage) {
            BytesMessage b = (BytesMessage) m;
            long len = b.getBodyLength();
            byte[] bytes = new byte[(int) len];
            b.readBytes(bytes);
            o.put("bodyLength", len);
            o.put("body", new String(bytes, StandardCharsets.UTF_8));
            boolean valid = isValidUtf8(bytes);
            o.put("bodyUtf8Valid", valid);
            if (!valid) {
                o.put("bodyBase64", Base64.getEncoder().encodeToString(bytes));
            }
        } else {
            o.putNull("body");
        }

        ObjectNode props = o.putObject("properties");
        Enumeration<?> names = m.getPropertyNames();
        while (names != null && names.hasMoreElements()) {
            String name = String.valueOf(names.nextElement());
            props.set(name, JSON.valueToTree(m.getObjectProperty(name)));
        }
        return o;
    }

    /**
     * The marshalled body of an ActiveMQ TextMessage without its 4-byte length
     * prefix, or null if not available.
     */
    private static byte[] rawTextContent(Message m) {
        if (!(m instanceof ActiveMQTextMessage)) {
            return null;
        }
        ByteSequence content = ((ActiveMQTextMessage) m).getContent();
        if (content == null || content.getLength() < 4) {
            return null;
        }
        byte[] out = new byte[content.getLength() - 4];
        System.arraycopy(content.getData(), content.getOffset() + 4, out, 0, out.length);
        return out;
    }

    private static String jmsClass(Message m) {
        if (m instanceof TextMessage) {
            return "TextMessage";
        }
        if (m instanceof BytesMessage) {
            return "BytesMessage";
        }
        if (m instanceof MapMessage) {
            return "MapMessage";
        }
        if (m instanceof ObjectMessage) {
            return "ObjectMessage";
        }
        if (m instanceof StreamMessage) {
            return "StreamMessage";
        }
        return "Message";
    }

    private static String destinationName(Destination d) throws JMSException {
        if (d == null) {
            return null;
        }
        if (d instanceof Topic) {
            return "topic://" + ((Topic) d).getTopicName();
        }
        if (d instanceof Queue) {
            return "queue://" + ((Queue) d).getQueueName();
        }
        return d.toString();
    }

    private static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private void autoReply(Message m) throws JMSException {
        List<Rule> current = rules;
        if (current.isEmpty()) {
            return;
        }
        String type = m.getJMSType();
        if (type == null) {
            return;
        }
        for (Rule r : current) {
            if (!type.startsWith(r.typePrefix)) {
                continue;
            }
            if (r.reply == null) {
                return; // swallow
            }
            Destination replyTo = m.getJMSReplyTo();
            if (replyTo == null) {
                asyncError("auto", new IllegalStateException(
                        "rule " + r.typePrefix + " matched JMSType " + type + " but the message has no JMSReplyTo"));
                return;
            }
            int hash = type.indexOf('#');
            String agent = hash < 0 ? "" : type.substring(hash + 1);
            String body = r.reply.replace("{agent}", agent);
            send(replyTo, body, false, r.jmsType, m.getJMSCorrelationID(), true, true);
            ObjectNode o = NODES.objectNode();
            o.put("event", "autoReplied");
            o.put("jmsType", type);
            o.put("correlationId", m.getJMSCorrelationID());
            o.put("replyTo", destinationName(replyTo));
            o.put("body", body);
            emit(o);
            return;
        }
    }

    // ------------------------------------------------------------------ sending

    /** Sends one message; synchronized because JMS sessions are single-threaded. */
    private synchronized void send(Destination to, String body, boolean bytes, String jmsType,
                                   String correlationId, boolean persistent, boolean timestamp)
            throws JMSException {
        Message msg;
        if (bytes) {
            BytesMessage b = producerSession.createBytesMessage();
            b.writeBytes(body.getBytes(StandardCharsets.UTF_8));
            msg = b;
        } else {
            msg = producerSession.createTextMessage(body);
        }
        if (jmsType != null) {
            msg.setJMSType(jmsType);
        }
        if (correlationId != null) {
            msg.setJMSCorrelationID(correlationId);
        }
        int mode = persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
        producer.setDisableMessageTimestamp(!timestamp);
        try {
            producer.send(to, msg, mode, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
        } finally {
            producer.setDisableMessageTimestamp(false);
        }
    }

    /** "topic://x", "/topic/x", "queue://x", "/queue/x"; a bare name is a topic. */
    private synchronized Destination parseDestination(String name) throws JMSException {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("missing destination");
        }
        if (name.startsWith("topic://")) {
            return producerSession.createTopic(name.substring("topic://".length()));
        }
        if (name.startsWith("/topic/")) {
            return producerSession.createTopic(name.substring("/topic/".length()));
        }
        if (name.startsWith("queue://")) {
            return producerSession.createQueue(name.substring("queue://".length()));
        }
        if (name.startsWith("/queue/")) {
            return producerSession.createQueue(name.substring("/queue/".length()));
        }
        return producerSession.createTopic(name);
    }

    // ------------------------------------------------------------------ commands

    /** Returns the process exit code. */
    private int commandLoop() {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            String line;
            try {
                line = in.readLine();
            } catch (Throwable t) {
                asyncError("stdin", t);
                return 1;
            }
            if (line == null) {
                return 0; // parent went away
            }
            if (line.isBlank()) {
                continue;
            }
            String op = null;
            try {
                JsonNode cmd = JSON.readTree(line);
                if (cmd == null || !cmd.isObject()) {
                    throw new IllegalArgumentException("command is not a JSON object");
                }
                op = text(cmd, "op");
                if (op == null) {
                    throw new IllegalArgumentException("missing \"op\"");
                }
                switch (op) {
                    case "reply":
                        send(parseDestination(required(cmd, "replyTo")), required(cmd, "body"),
                                bool(cmd, "bytes", false),
                                cmd.has("jmsType") ? text(cmd, "jmsType") : "",
                                text(cmd, "correlationId"), bool(cmd, "persistent", true),
                                bool(cmd, "timestamp", true));
                        break;
                    case "send":
                        send(parseDestination(required(cmd, "topic")), required(cmd, "body"),
                                bool(cmd, "bytes", false), text(cmd, "jmsType"),
                                text(cmd, "correlationId"), bool(cmd, "persistent", true),
                                bool(cmd, "timestamp", true));
                        break;
                    case "auto":
                        rules = parseRules(cmd.get("rules"));
                        break;
                    case "ping":
                        break;
                    case "quit":
                        ok(op);
                        return 0;
                    default:
                        throw new IllegalArgumentException("unknown op: " + op);
                }
                ok(op);
            } catch (Throwable t) {
                ObjectNode o = NODES.objectNode();
                o.put("event", "error");
                o.put("op", op);
                o.put("message", describeThrowable(t));
                emit(o);
            }
        }
    }

    private static List<Rule> parseRules(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("\"rules\" must be an array");
        }
        List<Rule> out = new ArrayList<>();
        for (JsonNode r : node) {
            String prefix = required(r, "typePrefix");
            String reply = text(r, "reply");
            String jmsType = r.has("jmsType") ? text(r, "jmsType") : "";
            out.add(new Rule(prefix, reply, jmsType));
        }
        return List.copyOf(out);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string or null");
        }
        return v.textValue();
    }

    private static String required(JsonNode n, String field) {
        String s = text(n, field);
        if (s == null) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return s;
    }

    private static boolean bool(JsonNode n, String field, boolean dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a boolean");
        }
        return v.booleanValue();
    }

    private void close() {
        try {
            connection.close();
        } catch (Throwable t) {
            asyncError("close", t);
        }
    }

    // ------------------------------------------------------------------ output

    private static void ok(String op) {
        ObjectNode o = NODES.objectNode();
        o.put("event", "ok");
        o.put("op", op);
        emit(o);
    }

    private static void asyncError(String source, Throwable t) {
        ObjectNode o = NODES.objectNode();
        o.put("event", "error");
        o.putNull("op");
        o.put("source", source);
        o.put("message", describeThrowable(t));
        emit(o);
    }

    private static void fatal(String message, Throwable t) {
        ObjectNode o = NODES.objectNode();
        o.put("event", "error");
        o.putNull("op");
        o.put("source", "startup");
        o.put("message", message);
        o.put("fatal", true);
        emit(o);
        if (t != null) {
            t.printStackTrace();
        }
        System.exit(2);
    }

    private static String describeThrowable(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t));
        Throwable c = t.getCause();
        while (c != null && c != t) {
            sb.append(" / caused by: ").append(c);
            t = c;
            c = c.getCause();
        }
        return sb.toString();
    }

    private static void emit(ObjectNode o) {
        String line;
        try {
            line = JSON.writeValueAsString(o);
        } catch (Throwable t) {
            line = "{\"event\":\"error\",\"op\":null,\"source\":\"emit\",\"message\":"
                    + quote(String.valueOf(t)) + "}";
        }
        synchronized (OUT) {
            OUT.print(line);
            OUT.print('\n');
            OUT.flush();
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Throwable t) {
            return "\"?\"";
        }
    }
}
