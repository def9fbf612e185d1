package org.secondgrid.gateway.ingest;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Ingest counters and the publish→durable lag histogram, rendered as Prometheus text. */
public final class IngestMetrics {

    public final LongAdder messagesIn = new LongAdder();
    public final LongAdder stored = new LongAdder();
    /** Messages whose batch is committed (readings new or duplicate, forecasts, rejected): what a barrier waits for. */
    public final LongAdder committed = new LongAdder();
    public final LongAdder duplicates = new LongAdder();
    public final LongAdder batches = new LongAdder();
    public final LongAdder commitFailures = new LongAdder();
    public final LongAdder commitNanos = new LongAdder();
    public final LongAdder ackNanos = new LongAdder();
    public final LongAdder timeseriesWritten = new LongAdder();
    public final LongAdder timeseriesRetries = new LongAdder();
    public final LongAdder timeseriesDropped = new LongAdder();
    private final Map<ErrorCode, LongAdder> byCode = new EnumMap<>(ErrorCode.class);
    /** Lag buckets in ms: upper bounds. */
    private static final long[] BOUNDS = {1, 2, 5, 10, 20, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2500, 5000, 10000, 30000,
            60000, Long.MAX_VALUE};
    private final AtomicLongArray lagBuckets = new AtomicLongArray(BOUNDS.length);
    private final LongAdder lagSumMs = new LongAdder();
    private volatile long lastLagMs;
    private volatile LongSupplier queueDepth = () -> 0;
    private volatile LongSupplier timeseriesQueueDepth = () -> 0;

    public IngestMetrics() {
        for (ErrorCode c : ErrorCode.values()) {
            byCode.put(c, new LongAdder());
        }
    }

    public void code(ErrorCode c) {
        byCode.get(c).increment();
    }

    public long count(ErrorCode c) {
        return byCode.get(c).sum();
    }

    public long rejectedTotal() {
        long n = 0;
        for (var e : byCode.entrySet()) {
            if (e.getKey().rejects()) {
                n += e.getValue().sum();
            }
        }
        return n;
    }

    /** Records the lag between a reading's device timestamp and its commit. */
    public void lag(long ms) {
        long v = Math.max(0, ms);
        lastLagMs = v;
        lagSumMs.add(v);
        for (int i = 0; i < BOUNDS.length; i++) {
            if (v <= BOUNDS[i]) {
                lagBuckets.incrementAndGet(i);
                return;
            }
        }
    }

    /** Approximate lag quantile (upper bound of the bucket it falls in), ms. */
    public long lagQuantile(double q) {
        long total = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            total += lagBuckets.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long acc = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            acc += lagBuckets.get(i);
            if (acc >= rank) {
                return BOUNDS[i];
            }
        }
        return Long.MAX_VALUE;
    }

    public void queueDepth(LongSupplier s) {
        this.queueDepth = s;
    }

    public void timeseriesQueueDepth(LongSupplier s) {
        this.timeseriesQueueDepth = s;
    }

    public long queueDepth() {
        return queueDepth.getAsLong();
    }

    public String prometheus() {
        StringBuilder sb = new StringBuilder(4096);
        counter(sb, "secondgrid_gateway_messages_in_total", "MQTT messages received", messagesIn.sum());
        counter(sb, "secondgrid_gateway_readings_stored_total", "readings committed to PostgreSQL (new)", stored.sum());
        counter(sb, "secondgrid_gateway_messages_committed_total", "messages whose batch is committed (readings, forecasts,"
                + " rejected)", committed.sum());
        counter(sb, "secondgrid_gateway_readings_duplicate_total", "redelivered readings already stored", duplicates.sum());
        counter(sb, "secondgrid_gateway_batches_total", "committed batches", batches.sum());
        counter(sb, "secondgrid_gateway_commit_failures_total", "failed batch commits (retried)", commitFailures.sum());
        sb.append("# HELP secondgrid_gateway_commit_seconds_total time spent committing batches\n");
        sb.append("# TYPE secondgrid_gateway_commit_seconds_total counter\n");
        sb.append("secondgrid_gateway_commit_seconds_total ").append(commitNanos.sum() / 1e9).append('\n');
        sb.append("# HELP secondgrid_gateway_ack_seconds_total time spent sending acks after commits\n");
        sb.append("# TYPE secondgrid_gateway_ack_seconds_total counter\n");
        sb.append("secondgrid_gateway_ack_seconds_total ").append(ackNanos.sum() / 1e9).append('\n');
        sb.append("# HELP secondgrid_gateway_rejected_total messages rejected, by error code\n");
        sb.append("# TYPE secondgrid_gateway_rejected_total counter\n");
        for (var e : byCode.entrySet()) {
            if (e.getKey().rejects()) {
                sb.append("secondgrid_gateway_rejected_total{code=\"").append(e.getKey()).append("\"} ")
                        .append(e.getValue().sum()).append('\n');
            }
        }
        counter(sb, "secondgrid_gateway_counter_resets_total", "meter readings stored with a counter reset",
                count(ErrorCode.COUNTER_RESET));
        gauge(sb, "secondgrid_gateway_queue_depth", "messages received but not yet committed", queueDepth.getAsLong());
        gauge(sb, "secondgrid_gateway_lag_ms", "device timestamp to commit of the latest batch, ms", lastLagMs);
        sb.append("# HELP secondgrid_gateway_lag_seconds device timestamp to durable commit\n");
        sb.append("# TYPE secondgrid_gateway_lag_seconds histogram\n");
        long acc = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            acc += lagBuckets.get(i);
            String le = BOUNDS[i] == Long.MAX_VALUE ? "+Inf" : String.valueOf(BOUNDS[i] / 1000.0);
            sb.append("secondgrid_gateway_lag_seconds_bucket{le=\"").append(le).append("\"} ").append(acc).append('\n');
        }
        sb.append("secondgrid_gateway_lag_seconds_sum ").append(lagSumMs.sum() / 1000.0).append('\n');
        sb.append("secondgrid_gateway_lag_seconds_count ").append(acc).append('\n');
        counter(sb, "secondgrid_gateway_timeseries_points_total", "points written to the time-series store",
                timeseriesWritten.sum());
        counter(sb, "secondgrid_gateway_timeseries_retries_total", "time-series write retries", timeseriesRetries.sum());
        counter(sb, "secondgrid_gateway_timeseries_dropped_total", "points dropped because the time-series queue was full",
                timeseriesDropped.sum());
        gauge(sb, "secondgrid_gateway_timeseries_queue_depth", "points waiting for the time-series store",
                timeseriesQueueDepth.getAsLong());
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        sb.append(name).append(' ').append(v).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(v).append('\n');
    }
}
