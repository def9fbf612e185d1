package org.secondgrid.settlement.source;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import javax.sql.DataSource;

/**
 * A stand-in for the gateway's market database in an embedded PostgreSQL: the tables settlement reads, with the
 * column names of the gateway's migrations (device, reading, metered_slot; market_schedule of the market service),
 * created here by the test, and one small delivery day:
 *
 * <ul>
 *   <li>slot 24: seller {@code s1} sells 1.0 kWh to {@code b1} through the grid for 12 JPY + 8 JPY fee; s1's meter
 *       exported 1.0 kWh, b1's imported 0.8 kWh;</li>
 *   <li>slot 36: {@code s1} sells 2.0 kWh to {@code b2} carried by {@code ev-1} for 20 JPY + 10 JPY to the EV; ev-1's
 *       charger at b2 discharged 1.5 kWh in slot 36 (readings every 15 minutes), b2's meter imported 0.5 kWh.</li>
 * </ul>
 */
public final class GatewayFixture implements AutoCloseable {

    public static final String MARKET = "gw-it";
    public static final LocalDate DAY = LocalDate.of(2026, 12, 8);
    static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");

    public final EmbeddedPostgres pg;
    public final DataSource dataSource;

    public GatewayFixture() throws Exception {
        Path dir = Files.createTempDirectory("gateway-db");
        pg = EmbeddedPostgres.builder().setDataDirectory(dir).start();
        dataSource = pg.getPostgresDatabase();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    create table device (device_id text primary key, market text not null, site_id text not null,
                        kind text not null check (kind in ('meters', 'chargers', 'evs', 'weather')),
                        rated_kw double precision not null default 0, password_hash text not null default '');
                    create table reading (device_id text not null, seq bigint not null, ts timestamptz not null,
                        import_wh double precision, export_wh double precision, pv_wh double precision, ev_id text,
                        power_kw double precision, session_wh double precision, lat double precision, lon double precision,
                        soc_kwh double precision, primary key (device_id, seq));
                    create table metered_slot (site_id text not null, slot_start timestamptz not null,
                        import_wh double precision not null, export_wh double precision not null, pv_wh double precision not null,
                        primary key (site_id, slot_start));
                    create table market_schedule (market text not null, delivery_day date not null, version integer not null,
                        stage text not null check (stage in ('gate', 'replan', 'final')),
                        source text not null check (source in ('matcher', 'greedy')),
                        instance_json jsonb not null, solution_json jsonb not null, note text, created_at timestamptz not null,
                        primary key (market, delivery_day, version));
                    """);
        }
        String instance = """
                {"modelVersion":1,"market":"gw-it","deliveryDay":"2026-12-08","timeZone":"Asia/Tokyo","slots":48,"slotMinutes":30,
                 "gridFeeJpyPerKwh":8.0,"sites":[],"offers":[],"bids":[],"evs":[]}""";
        String finalSolution = """
                {"modelVersion":1,"market":"gw-it","deliveryDay":"2026-12-08","welfareJpy":1.0,
                 "trades":[{"seller":"s1","buyer":"b1","slot":24,"channel":"grid","kwhSold":1.0,"kwhDelivered":1.0},
                           {"seller":"s1","buyer":"b2","slot":36,"channel":"ev-1","kwhSold":2.2,"kwhDelivered":2.0}],
                 "payments":[{"pool":"grid:s1:b1:24","payer":"b1","payee":"s1","jpy":12.0},
                             {"pool":"grid:s1:b1:24","payer":"b1","payee":"grid","jpy":8.0},
                             {"pool":"ev-1","payer":"b2","payee":"s1","jpy":20.0},
                             {"pool":"ev-1","payer":"b2","payee":"ev-1","jpy":10.0}]}""";
        // an older final version and a later gate-stage plan that must not be read
        String stale = finalSolution.replace("\"kwhDelivered\":1.0", "\"kwhDelivered\":0.5");
        schedule(1, "gate", stale);
        schedule(2, "final", stale);
        schedule(3, "final", finalSolution);
        schedule(4, "replan", stale);
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute("insert into market_schedule values ('other', '2026-12-08', 9, 'final', 'greedy', '"
                    + instance + "', '" + stale.replace("gw-it", "other") + "', null, now())");
        }
        device("m-s1", "s1", "meters", MARKET);
        device("m-b1", "b1", "meters", MARKET);
        device("c-b2", "b2", "chargers", MARKET);
        device("c-x", "b2", "chargers", "other-market");
        metered("s1", 24, 0, 1000);
        metered("b1", 24, 800, 0);
        metered("b2", 36, 500, 0);
        metered("b2", 35, 9999, 0); // another slot: not b2's trade
        metered("s1", 24 + 48, 0, 7777); // the next day
        // ev-1 plugged in at b2 at 18:00, discharging 4 kW until 18:30 (sessionWh counts the session's energy)
        charger("c-b2", 1, at(36, 0), "ev-1", -4.0, 0);
        charger("c-b2", 2, at(36, 15), "ev-1", -4.0, 1000);
        charger("c-b2", 3, at(36, 30), "ev-1", 0.0, 1500);
        charger("c-b2", 4, at(37, 10), null, 0.0, 0);
        // a charger of another market discharging ev-1's namesake in the same slot is not this market's
        charger("c-x", 1, at(36, 0), "ev-1", -4.0, 0);
        charger("c-x", 2, at(36, 20), "ev-1", -4.0, 900);
    }

    /** The gateway's own migration of the statements read model (read from the device-gateway module's sources). */
    public static final Path STATEMENT_MIGRATION = Path.of("..", "device-gateway", "src", "main", "resources", "db", "migration",
            "V40__settlement_statement.sql");

    /**
     * The registry (site and EV owners, the gateway's column names) and the gateway's real V40 migration, as a gateway
     * of today has them: s1 is sam's, b1 bea's, b2 and ev-1 ben's. Until then the database is of an older schema.
     */
    public void upgradeToStatements() throws Exception {
        if (!Files.exists(STATEMENT_MIGRATION)) {
            throw new IllegalStateException("the gateway's migration is not at " + STATEMENT_MIGRATION.toAbsolutePath());
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    create table if not exists site (site_id text primary key, owner_id text not null);
                    create table if not exists ev (ev_id text primary key, owner_id text not null);
                    insert into site values ('s1', 'sam'), ('b1', 'bea'), ('b2', 'ben') on conflict do nothing;
                    insert into ev values ('ev-1', 'ben') on conflict do nothing;
                    """);
            st.execute(Files.readString(STATEMENT_MIGRATION));
        }
    }

    /** Back to the schema before the statements (drops what the gateway's V40 created). */
    public void downgradeFromStatements() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop table if exists settlement_statement, token_valid_after, revoked_token");
        }
    }

    /** Start of slot {@code slot} plus {@code minutes}, local day. */
    static Instant at(int slot, int minutes) {
        return ZonedDateTime.of(DAY.atStartOfDay(), ZONE).plusMinutes(slot * 30L + minutes).toInstant();
    }

    public String url() {
        return "postgresql://postgres:postgres@localhost:" + pg.getPort() + "/postgres";
    }

    private void schedule(int version, String stage, String solution) throws SQLException {
        String instance = """
                {"modelVersion":1,"market":"gw-it","deliveryDay":"2026-12-08","timeZone":"Asia/Tokyo","slots":48,"slotMinutes":30}""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into market_schedule values (?, ?, ?, ?, 'matcher', ?::jsonb, ?::jsonb, null, now())")) {
            ps.setString(1, MARKET);
            ps.setObject(2, DAY);
            ps.setInt(3, version);
            ps.setString(4, stage);
            ps.setString(5, instance);
            ps.setString(6, solution);
            ps.executeUpdate();
        }
    }

    private void device(String id, String site, String kind, String market) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into device(device_id, market, site_id, kind) values (?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, market);
            ps.setString(3, site);
            ps.setString(4, kind);
            ps.executeUpdate();
        }
    }

    private void metered(String site, int slot, double importWh, double exportWh) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into metered_slot values (?, ?, ?, ?, 0)")) {
            ps.setString(1, site);
            ps.setTimestamp(2, Timestamp.from(at(slot, 0)));
            ps.setDouble(3, importWh);
            ps.setDouble(4, exportWh);
            ps.executeUpdate();
        }
    }

    private void charger(String device, long seq, Instant ts, String ev, double powerKw, double sessionWh) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into reading(device_id, seq, ts, ev_id, power_kw, session_wh) values (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, device);
            ps.setLong(2, seq);
            ps.setTimestamp(3, Timestamp.from(ts));
            ps.setString(4, ev);
            ps.setDouble(5, powerKw);
            ps.setDouble(6, sessionWh);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() throws Exception {
        pg.close();
    }
}
