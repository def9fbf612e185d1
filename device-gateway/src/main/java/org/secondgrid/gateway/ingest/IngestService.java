package org.secondgrid.gateway.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.secondgrid.gateway.store.ReadingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest loop. A Paho MQTT v5 client subscribes QoS 1 on a shared subscription with a persistent
 * session and manual acks; each message is parsed on the callback thread and queued; one writer thread
 * commits batches (readings by (device, seq), rejected messages) to PostgreSQL in one transaction and
 * only then acknowledges every message of the batch, in arrival order. A failed commit is retried
 * without acking, so the broker keeps (and after a crash redelivers) everything not yet durable.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the service connects and batches. */
    public record Settings(String brokerUrl, String clientId, String username, String password, String shareGroup,
                           long sessionExpirySeconds, int batchSize, int batchDelayMs, int queueCapacity) {
        /**
         * One shared subscription per telemetry kind: only what devices publish, never the gateway's own
         * outbound topics (charger setpoints, error reports).
         */
        public List<String> subscriptions() {
            return List.of("meters/+/reading", "chargers/+/status", "evs/+/state", "weather/+/forecast").stream()
                    .map(t -> "$share/" + shareGroup + "/secondgrid/+/" + t).toList();
        }
    }

    private record Inbound(int messageId, int qos, int generation, String topic, byte[] payload,
                           ReadingParser.Outcome outcome) {
    }

    private final Settings settings;
    private final ReadingParser parser;
    private final CounterTracker counters;
    private final ReadingStore store = new ReadingStore();
    private final DataSource ds;
    private final IngestMetrics metrics;
    private final Consumer<List<Reading>> afterCommit;
    private final java.time.Clock clock;
    private final BlockingQueue<Inbound> queue;
    private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();
    private final AtomicInteger generation = new AtomicInteger();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile boolean connected;
    private MqttAsyncClient client;
    private Connection connection;

    public IngestService(Settings settings, ReadingParser parser, CounterTracker counters, DataSource ds,
                         IngestMetrics metrics, Consumer<List<Reading>> afterCommit) {
        this(settings, parser, counters, ds, metrics, afterCommit, java.time.Clock.systemUTC());
    }

    /** As above, validating timestamps and measuring lag against {@code clock} (the gateway's, possibly scaled). */
    public IngestService(Settings settings, ReadingParser parser, CounterTracker counters, DataSource ds,
                         IngestMetrics metrics, Consumer<List<Reading>> afterCommit, java.time.Clock clock) {
        this.clock = clock;
        this.settings = settings;
        this.parser = parser;
        this.counters = counters;
        this.ds = ds;
        this.metrics = metrics;
        this.afterCommit = afterCommit;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        metrics.queueDepth(queue::size);
        this.writer = Thread.ofPlatform().name("ingest-writer").daemon(true).unstarted(this::writeLoop);
    }

    /** Connects, subscribes and starts the writer; returns once subscribed. */
    public void start() throws MqttException {
        client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(new Callback());
        writer.start();
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(settings.sessionExpirySeconds());
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 10);
        o.setReceiveMaximum(65535);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(30);
        if (settings.username() != null) {
            o.setUserName(settings.username());
        }
        if (settings.password() != null) {
            o.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
        }
        IMqttToken t = client.connect(o);
        t.waitForCompletion(60_000);
        connected = true;
        boolean sessionPresent = t.getSessionPresent();
        subscribe();
        log.info("ingest {} connected to {} (session present: {}), subscribed to {}", settings.clientId(),
                settings.brokerUrl(), sessionPresent, settings.subscriptions());
    }

    private void subscribe() throws MqttException {
        MqttSubscription[] subs = settings.subscriptions().stream().map(f -> new MqttSubscription(f, 1))
                .toArray(MqttSubscription[]::new);
        client.subscribe(subs).waitForCompletion(30_000);
    }

    /** Whether the MQTT connection is up and the writer is running. */
    public boolean healthy() {
        return connected && writer.isAlive();
    }

    public int queueDepth() {
        return queue.size();
    }

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
            metrics.messagesIn.increment();
            byte[] payload = message.getPayload();
            ReadingParser.Outcome o = parser.parse(topic, payload, clock.instant());
            if (o instanceof ReadingParser.Accepted a) {
                Reading r = counters.track(a.reading());
                if (r != a.reading()) {
                    o = new ReadingParser.Accepted(r, a.market());
                }
            }
            // Blocks when the writer is behind: back-pressure to the broker instead of dropping.
            queue.put(new Inbound(message.getId(), message.getQos(), generation.get(), topic, payload, o));
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
            connected = false;
            generation.incrementAndGet();
            log.warn("ingest disconnected from {}: {}", settings.brokerUrl(), r);
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            log.warn("MQTT error: {}", e.toString());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (reconnect) {
                // The session (and its subscription) survives; a message read before the drop is acked
                // only on its own connection, so everything unacked is redelivered now.
                generation.incrementAndGet();
                connected = true;
                log.info("ingest reconnected to {}", serverURI);
                Thread.ofVirtual().start(() -> {
                    try {
                        subscribe();
                    } catch (MqttException e) {
                        log.warn("re-subscribe failed: {}", e.toString());
                    }
                });
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    private void writeLoop() {
        List<Inbound> batch = new ArrayList<>(settings.batchSize());
        while (running || !queue.isEmpty()) {
            try {
                Inbound first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.batchDelayMs());
                while (batch.size() < settings.batchSize()) {
                    if (queue.drainTo(batch, settings.batchSize() - batch.size()) > 0) {
                        continue;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    Inbound next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                commit(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void commit(List<Inbound> batch) throws InterruptedException {
        List<Reading> readings = new ArrayList<>(batch.size());
        List<ReadingStore.RejectedRow> rejected = new ArrayList<>();
        List<org.secondgrid.gateway.forecast.WeatherForecast> forecasts = new ArrayList<>();
        for (Inbound in : batch) {
            switch (in.outcome()) {
                case ReadingParser.Accepted a -> readings.add(a.reading());
                case ReadingParser.AcceptedForecast f -> forecasts.add(f.forecast());
                case ReadingParser.Rejected r -> rejected.add(new ReadingStore.RejectedRow(r.deviceId(), in.topic(),
                        r.rejection().code().name(), r.rejection().detail(), printable(in.payload())));
            }
        }
        int inserted;
        long backoff = 100;
        long t0 = System.nanoTime();
        while (true) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = ds.getConnection();
                }
                inserted = store.write(connection, readings, rejected, forecasts.isEmpty() ? null
                        : c -> org.secondgrid.gateway.forecast.WeatherForecastStore.write(c, forecasts));
                break;
            } catch (SQLException e) {
                metrics.commitFailures.increment();
                log.warn("batch of {} not committed, retrying in {} ms: {}", batch.size(), backoff, e.getMessage());
                closeQuietly();
                if (!running && backoff > 2000) {
                    log.error("giving up on a batch of {} at shutdown: the broker redelivers it", batch.size());
                    return;
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5000);
            }
        }
        long t1 = System.nanoTime();
        metrics.commitNanos.add(t1 - t0);
        long now = clock.millis();
        metrics.batches.increment();
        metrics.stored.add(inserted);
        metrics.duplicates.add(readings.size() - inserted);
        metrics.committed.add(batch.size());
        for (Reading r : readings) {
            metrics.lag(now - r.ts().toEpochMilli());
            if (r.counterReset()) {
                metrics.code(ErrorCode.COUNTER_RESET);
            }
        }
        ack(batch);
        metrics.ackNanos.add(System.nanoTime() - t1);
        for (Inbound in : batch) {
            switch (in.outcome()) {
                case ReadingParser.Rejected r -> report(r.deviceId(), r.market(), in.topic(), r.rejection(), in.payload());
                case ReadingParser.AcceptedForecast f -> {
                }
                case ReadingParser.Accepted a -> {
                    if (a.reading().counterReset()) {
                        report(a.reading().deviceId(), a.market(), in.topic(), Rejection.of(ErrorCode.COUNTER_RESET,
                                "importWh", a.reading().importWh(), "counters of seq " + a.reading().seq()
                                        + " are lower than the previous reading's: stored as a meter reset"), in.payload());
                    }
                }
            }
        }
        if (afterCommit != null && !readings.isEmpty()) {
            afterCommit.accept(readings);
        }
    }

    private void ack(List<Inbound> batch) {
        int gen = generation.get();
        for (Inbound in : batch) {
            if (in.qos() == 0 || in.generation() != gen) {
                continue; // QoS 0 needs no ack; a message from a dropped connection is redelivered
            }
            try {
                client.messageArrivedComplete(in.messageId(), in.qos());
            } catch (MqttException | RuntimeException e) {
                log.debug("ack of {} not sent ({}); the broker redelivers it", in.messageId(), e.toString());
            }
        }
    }

    private void report(String deviceId, String market, String topic, Rejection r, byte[] payload) {
        if (r.code().rejects()) {
            metrics.code(r.code());
        }
        String key = deviceId + "\u0000" + r.code();
        if (loggedOnce.size() < 100_000 && loggedOnce.add(key)) {
            log.warn("device {}: {} on {}: {} (logged once per device and code)", deviceId, r.code(), topic, r.detail());
        }
        if (deviceId == null || market == null || deviceId.contains("+") || deviceId.contains("#")
                || market.contains("+") || market.contains("#")) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", r.code().name());
        body.put("field", r.field());
        body.put("value", r.value());
        body.put("detail", r.detail());
        body.put("topic", topic);
        body.put("at", clock.instant().toString());
        try {
            client.publish("secondgrid/" + market + "/errors/" + deviceId, JSON.writeValueAsBytes(body), 0, false);
        } catch (Exception e) {
            log.debug("error report for {} not published: {}", deviceId, e.toString());
        }
    }

    private static String printable(byte[] payload) {
        int n = Math.min(payload.length, 512);
        return new String(payload, 0, n, StandardCharsets.UTF_8).replace('\u0000', '?');
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // already broken
        }
        connection = null;
    }

    /**
     * Stops: commits and acks what is queued, then disconnects. The subscription and the session stay
     * on the broker, so messages published while the gateway is down wait for it (or go to other
     * instances of the share group); anything received but not acked is redelivered.
     */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client != null) {
                if (client.isConnected()) {
                    client.disconnect(5000).waitForCompletion(5000);
                }
                client.close();
            }
        } catch (MqttException e) {
            log.debug("disconnect at close: {}", e.toString());
        }
        closeQuietly();
    }
}
