package org.secondgrid.gateway.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.secondgrid.gateway.app.ScaledClock;
import org.secondgrid.gateway.ingest.IngestMetrics;
import org.secondgrid.gateway.market.MarketServices;
import org.secondgrid.gateway.market.MarketSettings;
import org.secondgrid.gateway.store.Database;
import org.secondgrid.gateway.store.DeviceRepository;

/**
 * The gateway's HTTP API on its real parts: an embedded PostgreSQL (Flyway-migrated) in a temp folder,
 * the market service with the real matcher (short deadlines, no clock-driven scheduler), on a free port.
 * The clock is a {@link ScaledClock} that starts at {@code simStart} (real speed, jumpable).
 */
final class ApiHarness implements AutoCloseable {

    static final String ADMIN_TOKEN = "harness-admin-token";
    static final String MARKET = "it-town";

    final Path dir;
    final Database db;
    final ScaledClock clock;
    final MarketServices market;
    final HttpApi http;
    final String base;
    final HttpClient client = HttpClient.newHttpClient();

    ApiHarness(Instant simStart, Duration matcherDeadline) throws Exception {
        dir = Files.createTempDirectory("api-it");
        db = Database.open(null, dir, 0);
        clock = ScaledClock.of(simStart, 1.0);
        MarketSettings settings = MarketSettings.fromEnv(Map.of("MARKET_CYCLE", "off"))
                .withDeadlines(matcherDeadline, matcherDeadline);
        market = MarketServices.create(db.dataSource(), clock, settings);
        DeviceRepository devices = new DeviceRepository(db.dataSource());
        http = HttpApi.start(new HttpApi.Settings(0, ADMIN_TOKEN, "harness-jwt-secret-0123456789", 60),
                ApiServices.create(db.dataSource(), devices, new IngestMetrics(), () -> true, clock, market,
                        new DeliveryGridFigures(new org.secondgrid.gateway.delivery.DeliveryStore(db.dataSource()),
                                market.registry()::markets), 1000));
        base = "http://127.0.0.1:" + http.port();
    }

    /** An HTTP answer: status and parsed body (JSON object, or the text under "text"). */
    record Res(int status, JsonObject body, String raw) {
        JsonArray array(String field) {
            return body.getJsonArray(field);
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    Res call(String method, String path, String token, Object body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            String text = body == null ? null : body instanceof String s ? s : body.toString();
            b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonObject json;
            try {
                json = r.body().startsWith("{") ? new JsonObject(r.body()) : new JsonObject().put("text", r.body());
            } catch (RuntimeException e) {
                json = new JsonObject().put("text", r.body());
            }
            return new Res(r.statusCode(), json, r.body());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }

    Res admin(String method, String path, Object body) {
        return call(method, path, ADMIN_TOKEN, body);
    }

    /** Logs in and returns the token (fails the test on anything but 200). */
    String login(String participant, String password) {
        Res r = call("POST", "/api/login", null, new JsonObject().put("participantId", participant).put("password", password));
        if (r.status() != 200) {
            throw new AssertionError("login " + participant + ": " + r);
        }
        return r.body().getString("token");
    }

    /** Puts with the admin token and fails unless 2xx. */
    JsonObject adminPut(String path, JsonObject body) {
        Res r = admin("PUT", path, body);
        if (r.status() / 100 != 2) {
            throw new AssertionError("PUT " + path + ": " + r);
        }
        return r.body();
    }

    /** Metered history of a site (what meters would have produced), Wh per slot, for forecasts and views. */
    void meteredHistory(String site, Instant from, int slots, int slotMinutes, java.util.function.IntFunction<double[]> whPerSlot)
            throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO metered_slot (site_id, slot_start, import_wh, export_wh, pv_wh) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (site_id, slot_start) DO UPDATE SET import_wh = EXCLUDED.import_wh,"
                        + " export_wh = EXCLUDED.export_wh, pv_wh = EXCLUDED.pv_wh")) {
            for (int i = 0; i < slots; i++) {
                double[] v = whPerSlot.apply(i);
                ps.setString(1, site);
                ps.setTimestamp(2, Timestamp.from(from.plus(Duration.ofMinutes((long) i * slotMinutes))));
                ps.setDouble(3, v[0]);
                ps.setDouble(4, v[1]);
                ps.setDouble(5, v[2]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** An EV's position report as ingest would have stored it. */
    void evState(String ev, Instant ts, double lat, double lon, double socKwh) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO reading (device_id, seq, ts, lat, lon, soc_kwh) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, ev);
            ps.setLong(2, ts.toEpochMilli());
            ps.setTimestamp(3, Timestamp.from(ts));
            ps.setDouble(4, lat);
            ps.setDouble(5, lon);
            ps.setDouble(6, socKwh);
            ps.executeUpdate();
        }
    }

    /**
     * A settled statement as the settlement module writes it: {@code party} of {@code participant} on {@code day}, one
     * confirmed batch in transaction {@code tx} (block 42), chain 31337; money in JPY.
     */
    void statement(String party, String kind, String participant, LocalDate day, long whSold, long whBought,
                   double jpyReceived, double jpyPaid, String tx) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO settlement_statement (market, delivery_day, party, party_kind, participant_id, wh_sold, wh_bought,
                    wh_carried, imbalance_wh_bought, imbalance_wh_sold, jpy_received, jpy_paid, fees_earned_jpy,
                    imbalance_jpy_paid, imbalance_jpy_received, token_id, certificate_wh, chain_id, coin_contract,
                    certificate_contract, party_address, tx_hashes, last_block, batches, unconfirmed_batches, status,
                    settled_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, 0, 0, 0, ?, ?, 31337, ?, ?, ?, ?, 42, 1, 0, 'confirmed', now(), now())""")) {
            ps.setString(1, MARKET);
            ps.setObject(2, day);
            ps.setString(3, party);
            ps.setString(4, kind);
            ps.setString(5, participant);
            ps.setLong(6, whSold);
            ps.setLong(7, whBought);
            ps.setBigDecimal(8, java.math.BigDecimal.valueOf(jpyReceived));
            ps.setBigDecimal(9, java.math.BigDecimal.valueOf(jpyPaid));
            ps.setLong(10, day.getYear() * 100L + day.getMonthValue());
            ps.setLong(11, whBought);
            ps.setString(12, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
            ps.setString(13, "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512");
            ps.setString(14, "0x" + String.format("%040x", Math.abs((long) party.hashCode())));
            ps.setArray(15, c.createArrayOf("text", new String[]{tx}));
            ps.executeUpdate();
        }
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), market.settings().zone());
    }

    @Override
    public void close() {
        http.close();
        market.close();
        db.close();
        deleteTree(dir);
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // temp folder
        }
    }
}
