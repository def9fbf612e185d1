package org.secondgrid.gateway.store;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.secondgrid.gateway.ingest.IngestMetrics;
import org.secondgrid.gateway.ingest.Reading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes raw readings as line protocol through the InfluxDB v2 write API (influxdb-client-java),
 * asynchronously after the PostgreSQL commit: a bounded queue, batches, retries with exponential
 * backoff until the store accepts them. Points are keyed by measurement + device tag + device timestamp,
 * so a re-sent point overwrites itself (InfluxDB natively; QuestDB through DEDUP UPSERT KEYS).
 * PostgreSQL stays the system of record: points still queued when the process dies are not re-sent.
 */
public final class TimeSeriesWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TimeSeriesWriter.class);

    /**
     * Where to write. {@code api} "v2" (default): the InfluxDB v2 write API (InfluxDB 2.x, 1.8+, QuestDB) with
     * {@code token}, {@code org}, {@code bucket}; "v1": InfluxDB 1.x's {@code /write?db=bucket&precision=ms}, with
     * {@code token} "user:password" (basic auth) or empty.
     */
    public record Target(String url, String token, String org, String bucket, String api) {
        public Target {
            if (!"v1".equals(api) && !"v2".equals(api)) {
                throw new IllegalArgumentException("INFLUX_API must be v1 or v2, got '" + api + "'");
            }
        }

        public Target(String url, String token, String org, String bucket) {
            this(url, token, org, bucket, "v2");
        }
    }

    private final InfluxDBClient client;
    private final WriteApiBlocking write;
    private final V1Write v1;
    private final BlockingQueue<String> queue;
    private final IngestMetrics metrics;
    private final int batchSize;
    private final Thread thread;
    private volatile boolean running = true;

    public TimeSeriesWriter(Target target, int capacity, int batchSize, IngestMetrics metrics) {
        if ("v1".equals(target.api())) {
            this.client = null;
            this.write = null;
            this.v1 = new V1Write(target);
        } else {
            InfluxDBClientOptions options = InfluxDBClientOptions.builder()
                    .url(target.url())
                    .authenticateToken(target.token() == null ? new char[0] : target.token().toCharArray())
                    .org(target.org())
                    .bucket(target.bucket())
                    .build();
            this.client = InfluxDBClientFactory.create(options);
            this.write = client.getWriteApiBlocking();
            this.v1 = null;
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.metrics = metrics;
        this.batchSize = batchSize;
        metrics.timeseriesQueueDepth(queue::size);
        this.thread = Thread.ofPlatform().name("timeseries-writer").daemon(true).start(this::loop);
        log.info("time series: InfluxDB {} write API at {} (org {}, bucket {})", target.api(), target.url(), target.org(),
                target.bucket());
    }

    /** Queues the readings' points; never blocks the ingest (a full queue drops and counts). */
    public void offer(List<Reading> readings) {
        for (Reading r : readings) {
            if (!queue.offer(line(r))) {
                metrics.timeseriesDropped.increment();
            }
        }
    }

    /** Queues ready-made line-protocol points (e.g. delivery's per-slot series, ms precision); a full queue drops and counts. */
    public void offerLines(List<String> lines) {
        for (String l : lines) {
            if (!queue.offer(l)) {
                metrics.timeseriesDropped.increment();
            }
        }
    }

    /** Queues the readings' points, waiting for room (for a rebuild, where nothing may be dropped). */
    public void put(List<Reading> readings) throws InterruptedException {
        for (Reading r : readings) {
            queue.put(line(r));
        }
    }

    public int queueDepth() {
        return queue.size();
    }

    /** Line protocol for one reading, millisecond precision. */
    public static String line(Reading r) {
        StringBuilder sb = new StringBuilder(160);
        switch (r.kind()) {
            case "meters" -> {
                sb.append("meter_reading,device=").append(tag(r.deviceId())).append(",site=").append(tag(r.siteId()));
                sb.append(" import_wh=").append(r.importWh()).append(",export_wh=").append(r.exportWh());
                if (r.pvWh() != null) {
                    sb.append(",pv_wh=").append(r.pvWh());
                }
                sb.append(",counter_reset=").append(r.counterReset());
            }
            case "chargers" -> {
                sb.append("charger_status,device=").append(tag(r.deviceId())).append(",site=").append(tag(r.siteId()));
                sb.append(" power_kw=").append(r.powerKw()).append(",session_wh=").append(r.sessionWh());
                if (r.evId() != null) {
                    sb.append(",ev=\"").append(r.evId().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
            default -> {
                sb.append("ev_state,device=").append(tag(r.deviceId())).append(",site=").append(tag(r.siteId()));
                sb.append(" lat=").append(r.lat()).append(",lon=").append(r.lon()).append(",soc_kwh=").append(r.socKwh());
            }
        }
        sb.append(",seq=").append(r.seq()).append("i ").append(r.ts().toEpochMilli());
        return sb.toString();
    }

    private static String tag(String v) {
        return v.replace("\\", "\\\\").replace(",", "\\,").replace(" ", "\\ ").replace("=", "\\=");
    }

    private void loop() {
        List<String> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                String first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                long backoff = 200;
                while (true) {
                    try {
                        if (v1 != null) {
                            v1.write(batch);
                        } else {
                            write.writeRecords(WritePrecision.MS, batch);
                        }
                        metrics.timeseriesWritten.add(batch.size());
                        break;
                    } catch (RuntimeException e) {
                        metrics.timeseriesRetries.increment();
                        if (!running && backoff >= 3200) {
                            log.warn("giving up {} time-series points at shutdown: {}", batch.size(), e.getMessage());
                            break;
                        }
                        log.warn("time-series write of {} points failed, retrying in {} ms: {}", batch.size(), backoff,
                                e.getMessage());
                        Thread.sleep(backoff);
                        backoff = Math.min(backoff * 2, 10_000);
                    }
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Flushes what is queued (bounded wait) and closes the client. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (client != null) {
            client.close();
        }
    }

    /** InfluxDB 1.x {@code POST /write?db=…&precision=ms} (line protocol, 204 = stored). */
    private static final class V1Write {
        private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(10)).build();
        private final java.net.URI uri;
        private final String auth;

        V1Write(Target t) {
            String base = t.url().endsWith("/") ? t.url().substring(0, t.url().length() - 1) : t.url();
            uri = java.net.URI.create(base + "/write?db=" + java.net.URLEncoder.encode(t.bucket(),
                    java.nio.charset.StandardCharsets.UTF_8) + "&precision=ms");
            auth = t.token() == null || t.token().isEmpty() ? null : "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(t.token().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        void write(List<String> lines) throws InterruptedException {
            java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri)
                    .timeout(java.time.Duration.ofSeconds(30))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(String.join("\n", lines)));
            if (auth != null) {
                b.header("Authorization", auth);
            }
            java.net.http.HttpResponse<String> r;
            try {
                r = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("InfluxDB v1 write to " + uri + " failed: " + e.getMessage(), e);
            }
            if (r.statusCode() != 204) {
                throw new IllegalStateException("InfluxDB v1 write answered " + r.statusCode() + ": " + r.body());
            }
        }
    }
}
