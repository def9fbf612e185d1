package org.secondgrid.simulator.device;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.secondgrid.gateway.forecast.WeatherForecast;
import org.secondgrid.gateway.forecast.WeatherForecastStore;
import org.secondgrid.gateway.ingest.CounterTracker;
import org.secondgrid.gateway.ingest.Reading;
import org.secondgrid.gateway.ingest.ReadingParser;
import org.secondgrid.gateway.store.DeviceRepository;
import org.secondgrid.gateway.store.ReadingStore;

/**
 * <b>Bulk path for history warm-up, not MQTT.</b> The same device messages a run would publish, handed straight to
 * the gateway's own ingest code in this JVM: parsed and validated by its {@link ReadingParser} (with the age limit
 * lifted: history is weeks old) and committed by its {@link ReadingStore} in large batches (weather forecasts in the
 * same transaction, as the ingest service does). Skips the broker, so weeks of history take seconds instead of
 * minutes; used only to warm up forecast history (the demo), never for the delivery day.
 */
public final class GatewayBulkIngest implements Telemetry {

    private final DataSource ds;
    private final ReadingParser parser;
    private final CounterTracker counters = new CounterTracker();
    private final ReadingStore store = new ReadingStore();
    private final int batchSize;
    private final List<Reading> readings = new ArrayList<>();
    private final List<WeatherForecast> forecasts = new ArrayList<>();
    private final List<ReadingStore.RejectedRow> rejected = new ArrayList<>();
    private long stored;

    public GatewayBulkIngest(DataSource ds, DeviceRepository devices, int batchSize) {
        this.ds = ds;
        this.parser = new ReadingParser(devices::find,
                new ReadingParser.Limits(2048, Duration.ofDays(365 * 100), Duration.ofDays(365 * 100)));
        this.batchSize = batchSize;
    }

    @Override
    public synchronized void send(List<DeviceMessage> messages) {
        Instant now = Instant.now();
        for (DeviceMessage m : messages) {
            byte[] payload = m.payload().getBytes(StandardCharsets.UTF_8);
            switch (parser.parse(m.topic(), payload, now)) {
                case ReadingParser.Accepted a -> readings.add(a.reading().isMeter() ? counters.track(a.reading()) : a.reading());
                case ReadingParser.AcceptedForecast f -> forecasts.add(f.forecast());
                case ReadingParser.Rejected r -> rejected.add(new ReadingStore.RejectedRow(r.deviceId(), m.topic(),
                        r.rejection().code().name(), r.rejection().detail(), m.payload()));
            }
        }
        if (readings.size() + forecasts.size() >= batchSize) {
            flush();
        }
    }

    /** Commits what is buffered. */
    public synchronized void flush() {
        if (readings.isEmpty() && forecasts.isEmpty() && rejected.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection()) {
            List<WeatherForecast> f = List.copyOf(forecasts);
            stored += store.write(c, readings, rejected, f.isEmpty() ? null : conn -> WeatherForecastStore.write(conn, f));
        } catch (SQLException e) {
            throw new IllegalStateException("bulk ingest failed: " + e.getMessage(), e);
        }
        readings.clear();
        forecasts.clear();
        rejected.clear();
    }

    public synchronized long stored() {
        return stored;
    }

    @Override
    public void close() {
        flush();
    }
}
