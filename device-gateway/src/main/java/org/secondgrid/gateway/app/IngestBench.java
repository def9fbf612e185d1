package org.secondgrid.gateway.app;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.secondgrid.gateway.auth.EmbeddedBroker;
import org.secondgrid.gateway.auth.MosquittoBroker;
import org.secondgrid.gateway.auth.MosquittoFiles;
import org.secondgrid.gateway.auth.PasswordHasher;
import org.secondgrid.gateway.ingest.Device;
import org.secondgrid.gateway.store.Database;
import org.secondgrid.gateway.store.DeviceRepository;

/**
 * {@code ./secondgrid bench ingest [--readings N] [--devices D] [--broker hivemq|mosquitto] [--rate R]}: QoS 1 meter readings from D device
 * connections through the embedded HiveMQ broker (device auth on), first into a bare Paho subscriber
 * (auto-ack, counts only), then, with the same publishers, into the gateway (parse, validate, commit to
 * PostgreSQL, ack). Prints throughput of both, their ratio, publish→durable latency, heap, queue depth,
 * and lost / double-counted readings verified by counting rows in PostgreSQL.
 */
public final class IngestBench {

    private static final String MARKET = "bench";
    private static final String SERVICE_PASSWORD = "bench-secret";
    private static double offeredRate;

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        int readings = 100_000;
        int devices = 20;
        String brokerKind = "hivemq";
        double rate = 0; // 0 = as fast as the publishers can
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--readings" -> readings = Integer.parseInt(args[++i]);
                case "--devices" -> devices = Integer.parseInt(args[++i]);
                case "--broker" -> brokerKind = args[++i];
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "' (use --readings N --devices D --broker hivemq|mosquitto --rate R)");
            }
        }
        int perDevice = readings / devices;
        readings = perDevice * devices;
        Path dir = Files.createTempDirectory("secondgrid-bench-ingest");
        if (!brokerKind.equals("hivemq") && !brokerKind.equals("mosquitto")) {
            throw new IllegalArgumentException("--broker must be hivemq or mosquitto, got '" + brokerKind + "'");
        }
        System.out.printf("bench ingest: %,d QoS 1 readings from %d device connections%s, %s + embedded PostgreSQL in %s%n",
                readings, devices, rate > 0 ? String.format(" offered at %,.0f/s", rate) : " as fast as they go",
                brokerKind.equals("hivemq") ? "embedded HiveMQ CE" : "Debian Mosquitto", dir);
        offeredRate = rate;
        try (Database db = Database.open(null, dir, 0)) {
            DeviceRepository repo = new DeviceRepository(db.dataSource());
            List<Device> ds = new ArrayList<>();
            List<String> pw = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                ds.add(new Device("b-" + i, MARKET, "bench-site-" + i, "meters", 1000, null));
                pw.add("pw-" + i);
            }
            repo.register(ds, pw);
            System.out.printf("PostgreSQL path alone: %,9.0f readings/s  (ReadingStore batches of 3,000, no broker; rows removed after)%n",
                    storeOnly(db, devices));
            try (Broker broker = brokerKind.equals("hivemq")
                    ? new Broker(EmbeddedBroker.start(dir, freePort(), repo, "gateway", SERVICE_PASSWORD))
                    : new Broker(MosquittoBroker.start(dir.resolve("mosquitto"),
                            MosquittoFiles.passwords(repo.passwordHashes(), "gateway", PasswordHasher.hash(SERVICE_PASSWORD)),
                            MosquittoFiles.acl(repo.all(), "gateway")))) {
                // Warm-up (JIT, broker queues), not reported; then phase 1: bare Paho subscriber, same broker, same publishers.
                bare(broker, devices, Math.max(1, perDevice / 5), 5_000_000);
                Phase bare = bare(broker, devices, perDevice, 0);
                System.out.printf("bare Paho subscriber : %,9.0f readings/s  (%,d in %.2f s, p50 %d ms, p99 %d ms publish→received)%n",
                        bare.rate(), bare.count, bare.seconds, bare.p50, bare.p99);

                // Phase 2: the gateway.
                Map<String, String> env = new HashMap<>(System.getenv());
                env.put("DATA_DIR", dir.resolve("gateway").toString());
                env.put("DATABASE_URL", db.jdbcUrl());
                env.put("MQTT_URL", broker.url());
                env.put("MQTT_USERNAME", "gateway");
                env.put("MQTT_PASSWORD", SERVICE_PASSWORD);
                env.put("INFLUX_URL", env.getOrDefault("BENCH_INFLUX_URL", "off"));
                env.put("HTTP_PORT", "0");
                env.put("GATEWAY_ID", "bench-gateway");
                try (Gateway gw = Gateway.start(GatewayConfig.fromEnv(env))) {
                    AtomicLong maxQueue = new AtomicLong();
                    AtomicLong maxHeap = new AtomicLong();
                    Thread sampler = Thread.ofPlatform().daemon(true).start(() -> {
                        var mem = ManagementFactory.getMemoryMXBean();
                        while (!Thread.currentThread().isInterrupted()) {
                            maxQueue.accumulateAndGet(gw.metrics().queueDepth(), Math::max);
                            maxHeap.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    long storedBefore = gw.metrics().stored.sum();
                    int total = readings;
                    long start = System.nanoTime();
                    publishAll(broker, devices, perDevice, 1_000_000);
                    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                    while (gw.metrics().stored.sum() - storedBefore < total && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    sampler.interrupt();
                    long stored = gw.metrics().stored.sum() - storedBefore;
                    long rows;
                    long distinct;
                    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                            "SELECT count(*), count(DISTINCT (device_id, seq)) FROM reading WHERE device_id LIKE 'b-%' AND seq >= 1000000");
                         ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        rows = rs.getLong(1);
                        distinct = rs.getLong(2);
                    }
                    double gwRate = stored / seconds;
                    System.out.printf("gateway → PostgreSQL : %,9.0f readings/s  (%,d in %.2f s, p50 %d ms, p99 %d ms publish→durable)%n",
                            gwRate, stored, seconds, gw.metrics().lagQuantile(0.50), gw.metrics().lagQuantile(0.99));
                    System.out.printf("ratio gateway/bare   : %.2f%n", gwRate / bare.rate());
                    System.out.printf("max queue depth      : %,d messages; max heap used %,d MiB (-Xmx %,d MiB)%n",
                            maxQueue.get(), maxHeap.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
                    System.out.printf("lost                 : %,d (published %,d, distinct (device, seq) rows %,d)%n",
                            total - distinct, total, distinct);
                    System.out.printf("double counted       : %,d (rows %,d − distinct %,d; duplicates redelivered and skipped: %,d)%n",
                            rows - distinct, rows, distinct, gw.metrics().duplicates.sum());
                    var threads = ManagementFactory.getThreadMXBean();
                    StringBuilder top = new StringBuilder();
                    java.util.Arrays.stream(threads.getAllThreadIds()).boxed()
                            .map(id -> java.util.Map.entry(id, threads.getThreadCpuTime(id)))
                            .filter(e -> e.getValue() > 0)
                            .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(6)
                            .forEach(e -> {
                                var info = threads.getThreadInfo(e.getKey());
                                if (info != null) {
                                    top.append(String.format("%s %.1fs; ", info.getThreadName(), e.getValue() / 1e9));
                                }
                            });
                    System.out.println("busiest JVM threads  : " + top);
                    System.out.printf("batches              : %,d (avg %.0f readings per commit; %.2f s committing, %.2f s acking)%n",
                            gw.metrics().batches.sum(), (double) stored / Math.max(1, gw.metrics().batches.sum()),
                            gw.metrics().commitNanos.sum() / 1e9, gw.metrics().ackNanos.sum() / 1e9);
                }
            }
        }
        System.out.println("(lag quantiles are histogram bucket upper bounds; machine: "
                + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() + ")");
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.exit(0);
    }

    /** The broker under test: its URL and how to stop it. */
    private record Broker(String url, AutoCloseable stop) implements AutoCloseable {
        Broker(EmbeddedBroker b) {
            this(b.url(), b);
        }

        Broker(MosquittoBroker b) {
            this(b.url(), b);
        }

        @Override
        public void close() throws Exception {
            stop.close();
        }
    }

    private record Phase(long count, double seconds, long p50, long p99) {
        double rate() {
            return count / seconds;
        }
    }

    private static Phase bare(Broker broker, int devices, int perDevice, long seqBase) throws Exception {
        int total = devices * perDevice;
        CountDownLatch done = new CountDownLatch(total);
        long[] bounds = {1, 2, 5, 10, 20, 50, 100, 150, 200, 250, 500, 1000, 2500, 5000, 10000, Long.MAX_VALUE};
        AtomicLongArray hist = new AtomicLongArray(bounds.length);
        MqttAsyncClient sub = new MqttAsyncClient(broker.url(), "bench-bare", new MemoryPersistence());
        sub.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String p = new String(message.getPayload(), StandardCharsets.UTF_8);
                int i = p.indexOf("\"ts\":\"") + 6;
                long lag = System.currentTimeMillis() - Instant.parse(p.substring(i, p.indexOf('"', i))).toEpochMilli();
                for (int b = 0; b < bounds.length; b++) {
                    if (lag <= bounds[b]) {
                        hist.incrementAndGet(b);
                        break;
                    }
                }
                done.countDown();
            }

            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int rc, MqttProperties p) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setUserName("gateway");
        o.setPassword(SERVICE_PASSWORD.getBytes(StandardCharsets.UTF_8));
        o.setReceiveMaximum(65535);
        sub.connect(o).waitForCompletion(30_000);
        String filter = "$share/bare/secondgrid/+/+/+/+";
        sub.subscribe(new MqttSubscription(filter, 1)).waitForCompletion(30_000);
        long start = System.nanoTime();
        publishAll(broker, devices, perDevice, seqBase);
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        sub.unsubscribe(filter).waitForCompletion(30_000);
        sub.disconnect().waitForCompletion(30_000);
        sub.close();
        return new Phase(total, seconds, quantile(hist, bounds, 0.5), quantile(hist, bounds, 0.99));
    }

    /** Commit throughput of the storage path alone: 60,000 meter readings in batches of 3,000. */
    private static double storeOnly(Database db, int devices) throws Exception {
        var store = new org.secondgrid.gateway.store.ReadingStore();
        Instant t0 = Instant.now().minusSeconds(3600);
        long start = System.nanoTime();
        try (Connection c = db.connect()) {
            for (int b = 0; b < 20; b++) {
                List<org.secondgrid.gateway.ingest.Reading> rs = new ArrayList<>(3000);
                for (int i = 0; i < 3000; i++) {
                    long n = b * 3000L + i;
                    rs.add(new org.secondgrid.gateway.ingest.Reading("b-" + (n % devices), "meters",
                            "bench-site-" + (n % devices), 9_000_000 + n, t0.plusMillis(n), n * 1.0, 0.0, 0.0,
                            null, null, null, null, null, null, false));
                }
                store.write(c, rs, List.of());
            }
            double rate = 60_000 / ((System.nanoTime() - start) / 1e9);
            c.setAutoCommit(true);
            try (var st = c.createStatement()) {
                st.execute("DELETE FROM reading WHERE seq >= 9000000");
                st.execute("DELETE FROM slot_dirty");
            }
            return rate;
        }
    }

    private static long quantile(AtomicLongArray hist, long[] bounds, double q) {
        long total = 0;
        for (int i = 0; i < bounds.length; i++) {
            total += hist.get(i);
        }
        long rank = (long) Math.ceil(q * total);
        long acc = 0;
        for (int i = 0; i < bounds.length; i++) {
            acc += hist.get(i);
            if (acc >= rank) {
                return bounds[i];
            }
        }
        return Long.MAX_VALUE;
    }

    /** Each device on its own connection publishes perDevice readings QoS 1, pipelined up to the broker's window. */
    private static void publishAll(Broker broker, int devices, int perDevice, long seqBase) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(devices);
        List<Future<?>> fs = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            int dev = d;
            fs.add(pool.submit(() -> {
                MqttAsyncClient c = new MqttAsyncClient(broker.url(), "bench-pub-" + dev + "-" + seqBase,
                        new MemoryPersistence());
                MqttConnectionOptions o = new MqttConnectionOptions();
                o.setCleanStart(true);
                o.setUserName("b-" + dev);
                o.setPassword(("pw-" + dev).getBytes(StandardCharsets.UTF_8));
                c.connect(o).waitForCompletion(30_000);
                String topic = "secondgrid/" + MARKET + "/meters/b-" + dev + "/reading";
                IMqttToken last = null;
                IMqttToken[] window = new IMqttToken[8]; // below HiveMQ's receive maximum of 10 per connection
                long begin = System.nanoTime();
                double intervalNanos = offeredRate > 0 ? 1e9 * devices / offeredRate : 0;
                for (int k = 0; k < perDevice; k++) {
                    if (intervalNanos > 0) {
                        long due = begin + (long) (k * intervalNanos);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    if (window[k % window.length] != null) {
                        window[k % window.length].waitForCompletion(120_000);
                    }
                    String json = "{\"seq\":" + (seqBase + k) + ",\"ts\":\"" + Instant.now() + "\",\"importWh\":"
                            + (seqBase + k) * 2.5 + ",\"exportWh\":0,\"pvWh\":0}";
                    MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
                    m.setQos(1);
                    while (true) {
                        try {
                            last = c.publish(topic, m);
                            window[k % window.length] = last;
                            break;
                        } catch (MqttException e) {
                            if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                                throw e;
                            }
                            Thread.sleep(1);
                        }
                    }
                }
                if (last != null) {
                    last.waitForCompletion(120_000);
                }
                c.disconnect().waitForCompletion(30_000);
                c.close();
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
    }

    private static int freePort() throws java.io.IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
