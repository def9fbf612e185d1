package org.secondgrid.gateway.market;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Participants, feeders, sites and EVs of the markets (admin routes and the simulator's town import).
 * Every write validates every field first (a {@link MarketException} naming the field and the value)
 * and runs in one transaction: nothing is half-saved.
 */
public final class MarketRegistry {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    private final DataSource ds;

    public MarketRegistry(DataSource ds) {
        this.ds = ds;
    }

    /** A whole town (or part of one) to save at once, in dependency order. */
    public record Town(List<Participant> participants, List<FeederRecord> feeders, List<SiteRecord> sites,
                       List<EvRecord> evs) {
        public Town {
            participants = List.copyOf(participants);
            feeders = List.copyOf(feeders);
            sites = List.copyOf(sites);
            evs = List.copyOf(evs);
        }
    }

    public void upsertParticipant(Participant p) {
        save(new Town(List.of(p), List.of(), List.of(), List.of()));
    }

    public void upsertFeeder(FeederRecord f) {
        save(new Town(List.of(), List.of(f), List.of(), List.of()));
    }

    public void upsertSite(SiteRecord s) {
        save(new Town(List.of(), List.of(), List.of(s), List.of()));
    }

    public void upsertEv(EvRecord e) {
        save(new Town(List.of(), List.of(), List.of(), List.of(e)));
    }

    /**
     * Saves everything in one transaction (inserts or updates by id). References (site owner, feeder,
     * EV owner and home) may point to rows of the same call or already stored ones.
     */
    public void save(Town t) {
        for (int i = 0; i < t.participants().size(); i++) {
            validate("participants[" + i + "].", t.participants().get(i));
        }
        for (int i = 0; i < t.feeders().size(); i++) {
            validate("feeders[" + i + "].", t.feeders().get(i));
        }
        for (int i = 0; i < t.sites().size(); i++) {
            validate("sites[" + i + "].", t.sites().get(i));
        }
        for (int i = 0; i < t.evs().size(); i++) {
            validate("evs[" + i + "].", t.evs().get(i));
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                writeParticipants(c, t.participants());
                writeFeeders(c, t.feeders());
                checkSiteRefs(c, t);
                writeSites(c, t.sites());
                checkEvRefs(c, t);
                writeEvs(c, t.evs());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save to the market registry: " + e.getMessage(), e);
        }
    }

    // ---- validation ----

    static void id(String field, String v) {
        if (v == null || !ID.matcher(v).matches()) {
            throw MarketException.invalid(field, v, field + " must be 1-100 letters, digits or . _ : - (starting with"
                    + " a letter or digit), got '" + v + "'");
        }
    }

    static void nonNegative(String field, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw MarketException.invalid(field, v, field + " must be a finite number >= 0, got " + v);
        }
    }

    private static void validate(String p, Participant x) {
        id(p + "id", x.id());
        if (x.displayName() == null || x.displayName().isBlank() || x.displayName().length() > 200) {
            throw MarketException.invalid(p + "displayName", x.displayName(),
                    p + "displayName must be 1-200 characters, got '" + x.displayName() + "'");
        }
        if (x.roles().isEmpty()) {
            throw MarketException.invalid(p + "roles", x.roles(), p + "roles must name at least one of " + Participant.ROLES);
        }
        for (String r : x.roles()) {
            if (!Participant.ROLES.contains(r)) {
                throw MarketException.invalid(p + "roles", r, p + "roles: '" + r + "' is not one of " + Participant.ROLES);
            }
        }
    }

    private static void validate(String p, FeederRecord f) {
        id(p + "id", f.id());
        id(p + "market", f.market());
        nonNegative(p + "reverseCapacityKw", f.reverseCapacityKw());
    }

    private static void validate(String p, SiteRecord s) {
        id(p + "id", s.id());
        id(p + "market", s.market());
        id(p + "ownerId", s.ownerId());
        id(p + "feederId", s.feederId());
        if (!SiteRecord.KINDS.contains(s.kind())) {
            throw MarketException.invalid(p + "kind", s.kind(), p + "kind must be one of " + SiteRecord.KINDS
                    + ", got '" + s.kind() + "'");
        }
        if (!(s.lat() >= -90 && s.lat() <= 90)) {
            throw MarketException.invalid(p + "lat", s.lat(), p + "lat must be in [-90, 90], got " + s.lat());
        }
        if (!(s.lon() >= -180 && s.lon() <= 180)) {
            throw MarketException.invalid(p + "lon", s.lon(), p + "lon must be in [-180, 180], got " + s.lon());
        }
        nonNegative(p + "exportLimitKw", s.exportLimitKw());
        if (s.ports() < 0 || s.ports() > 1000) {
            throw MarketException.invalid(p + "ports", s.ports(), p + "ports must be in [0, 1000], got " + s.ports());
        }
        nonNegative(p + "chargerKw", s.chargerKw());
        nonNegative(p + "v2xKw", s.v2xKw());
    }

    private static void validate(String p, EvRecord e) {
        id(p + "id", e.id());
        id(p + "market", e.market());
        id(p + "ownerId", e.ownerId());
        id(p + "homeSiteId", e.homeSiteId());
        if (!Double.isFinite(e.capacityKwh()) || e.capacityKwh() <= 0) {
            throw MarketException.invalid(p + "capacityKwh", e.capacityKwh(),
                    p + "capacityKwh must be a finite number > 0, got " + e.capacityKwh());
        }
        nonNegative(p + "chargeKw", e.chargeKw());
        nonNegative(p + "dischargeKw", e.dischargeKw());
        efficiency(p + "chargeEfficiency", e.chargeEfficiency());
        efficiency(p + "dischargeEfficiency", e.dischargeEfficiency());
        nonNegative(p + "consumptionKwhPerKm", e.consumptionKwhPerKm());
    }

    private static void efficiency(String field, double v) {
        if (!(v > 0 && v <= 1)) {
            throw MarketException.invalid(field, v, field + " must be in (0, 1], got " + v);
        }
    }

    private static void checkSiteRefs(Connection c, Town t) throws SQLException {
        Set<String> participants = new HashSet<>();
        t.participants().forEach(p -> participants.add(p.id()));
        Set<String> feeders = new HashSet<>();
        t.feeders().forEach(f -> feeders.add(f.id() + "\u0000" + f.market()));
        for (int i = 0; i < t.sites().size(); i++) {
            SiteRecord s = t.sites().get(i);
            if (!participants.contains(s.ownerId()) && !exists(c, "participant", "participant_id", s.ownerId())) {
                throw MarketException.invalid("sites[" + i + "].ownerId", s.ownerId(),
                        "sites[" + i + "].ownerId '" + s.ownerId() + "' is not a participant");
            }
            if (!feeders.contains(s.feederId() + "\u0000" + s.market())
                    && !existsIn(c, "feeder", "feeder_id", s.feederId(), s.market())) {
                throw MarketException.invalid("sites[" + i + "].feederId", s.feederId(),
                        "sites[" + i + "].feederId '" + s.feederId() + "' is not a feeder of market " + s.market());
            }
        }
    }

    private static void checkEvRefs(Connection c, Town t) throws SQLException {
        Set<String> participants = new HashSet<>();
        t.participants().forEach(p -> participants.add(p.id()));
        for (int i = 0; i < t.evs().size(); i++) {
            EvRecord e = t.evs().get(i);
            if (!participants.contains(e.ownerId()) && !exists(c, "participant", "participant_id", e.ownerId())) {
                throw MarketException.invalid("evs[" + i + "].ownerId", e.ownerId(),
                        "evs[" + i + "].ownerId '" + e.ownerId() + "' is not a participant");
            }
            if (!existsIn(c, "site", "site_id", e.homeSiteId(), e.market())) {
                throw MarketException.invalid("evs[" + i + "].homeSiteId", e.homeSiteId(),
                        "evs[" + i + "].homeSiteId '" + e.homeSiteId() + "' is not a site of market " + e.market());
            }
        }
    }

    private static boolean exists(Connection c, String table, String col, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE " + col + " = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean existsIn(Connection c, String table, String col, String id, String market)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE " + col + " = ? AND market = ?")) {
            ps.setString(1, id);
            ps.setString(2, market);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---- writes ----

    private static void writeParticipants(Connection c, List<Participant> ps) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO participant (participant_id, display_name, roles) VALUES (?, ?, ?)
                ON CONFLICT (participant_id) DO UPDATE SET display_name = EXCLUDED.display_name,
                  roles = EXCLUDED.roles, updated_at = now()""")) {
            for (Participant p : ps) {
                st.setString(1, p.id());
                st.setString(2, p.displayName());
                Array roles = c.createArrayOf("text", p.roles().stream().sorted().toArray());
                st.setArray(3, roles);
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private static void writeFeeders(Connection c, List<FeederRecord> fs) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO feeder (feeder_id, market, reverse_capacity_kw) VALUES (?, ?, ?)
                ON CONFLICT (feeder_id) DO UPDATE SET market = EXCLUDED.market,
                  reverse_capacity_kw = EXCLUDED.reverse_capacity_kw, updated_at = now()""")) {
            for (FeederRecord f : fs) {
                st.setString(1, f.id());
                st.setString(2, f.market());
                st.setDouble(3, f.reverseCapacityKw());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private static void writeSites(Connection c, List<SiteRecord> ss) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO site (site_id, market, owner_id, feeder_id, kind, lat, lon, export_limit_kw, ports,
                  charger_kw, v2x_kw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (site_id) DO UPDATE SET market = EXCLUDED.market, owner_id = EXCLUDED.owner_id,
                  feeder_id = EXCLUDED.feeder_id, kind = EXCLUDED.kind, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
                  export_limit_kw = EXCLUDED.export_limit_kw, ports = EXCLUDED.ports, charger_kw = EXCLUDED.charger_kw,
                  v2x_kw = EXCLUDED.v2x_kw, updated_at = now()""")) {
            for (SiteRecord s : ss) {
                st.setString(1, s.id());
                st.setString(2, s.market());
                st.setString(3, s.ownerId());
                st.setString(4, s.feederId());
                st.setString(5, s.kind());
                st.setDouble(6, s.lat());
                st.setDouble(7, s.lon());
                st.setDouble(8, s.exportLimitKw());
                st.setInt(9, s.ports());
                st.setDouble(10, s.chargerKw());
                st.setDouble(11, s.v2xKw());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private static void writeEvs(Connection c, List<EvRecord> es) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO ev (ev_id, market, owner_id, home_site_id, capacity_kwh, charge_kw, discharge_kw,
                  charge_efficiency, discharge_efficiency, consumption_kwh_per_km) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (ev_id) DO UPDATE SET market = EXCLUDED.market, owner_id = EXCLUDED.owner_id,
                  home_site_id = EXCLUDED.home_site_id, capacity_kwh = EXCLUDED.capacity_kwh,
                  charge_kw = EXCLUDED.charge_kw, discharge_kw = EXCLUDED.discharge_kw,
                  charge_efficiency = EXCLUDED.charge_efficiency, discharge_efficiency = EXCLUDED.discharge_efficiency,
                  consumption_kwh_per_km = EXCLUDED.consumption_kwh_per_km, updated_at = now()""")) {
            for (EvRecord e : es) {
                st.setString(1, e.id());
                st.setString(2, e.market());
                st.setString(3, e.ownerId());
                st.setString(4, e.homeSiteId());
                st.setDouble(5, e.capacityKwh());
                st.setDouble(6, e.chargeKw());
                st.setDouble(7, e.dischargeKw());
                st.setDouble(8, e.chargeEfficiency());
                st.setDouble(9, e.dischargeEfficiency());
                st.setDouble(10, e.consumptionKwhPerKm());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    // ---- reads ----

    public List<Participant> participants() {
        return query("SELECT participant_id, display_name, roles FROM participant ORDER BY participant_id", null,
                MarketRegistry::participant);
    }

    public Optional<Participant> participant(String id) {
        return query("SELECT participant_id, display_name, roles FROM participant WHERE participant_id = ?", id,
                MarketRegistry::participant).stream().findFirst();
    }

    /** Distinct markets that have at least one site. */
    public List<String> markets() {
        return query("SELECT DISTINCT market FROM site ORDER BY market", null, rs -> rs.getString(1));
    }

    public List<FeederRecord> feeders(String market) {
        return query("SELECT feeder_id, market, reverse_capacity_kw FROM feeder WHERE market = ? ORDER BY feeder_id",
                market, rs -> new FeederRecord(rs.getString(1), rs.getString(2), rs.getDouble(3)));
    }

    private static final String SITE_COLS = "site_id, market, owner_id, feeder_id, kind, lat, lon, export_limit_kw,"
            + " ports, charger_kw, v2x_kw FROM site";

    public List<SiteRecord> sites(String market) {
        return query("SELECT " + SITE_COLS + " WHERE market = ? ORDER BY site_id", market, MarketRegistry::site);
    }

    public List<SiteRecord> sitesOf(String ownerId) {
        return query("SELECT " + SITE_COLS + " WHERE owner_id = ? ORDER BY site_id", ownerId, MarketRegistry::site);
    }

    public Optional<SiteRecord> site(String id) {
        return query("SELECT " + SITE_COLS + " WHERE site_id = ?", id, MarketRegistry::site).stream().findFirst();
    }

    private static final String EV_COLS = "ev_id, market, owner_id, home_site_id, capacity_kwh, charge_kw,"
            + " discharge_kw, charge_efficiency, discharge_efficiency, consumption_kwh_per_km FROM ev";

    public List<EvRecord> evs(String market) {
        return query("SELECT " + EV_COLS + " WHERE market = ? ORDER BY ev_id", market, MarketRegistry::ev);
    }

    public List<EvRecord> evsOf(String ownerId) {
        return query("SELECT " + EV_COLS + " WHERE owner_id = ? ORDER BY ev_id", ownerId, MarketRegistry::ev);
    }

    public Optional<EvRecord> ev(String id) {
        return query("SELECT " + EV_COLS + " WHERE ev_id = ?", id, MarketRegistry::ev).stream().findFirst();
    }

    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, String arg, Row<T> row) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("market registry query failed: " + e.getMessage(), e);
        }
    }

    private static Participant participant(ResultSet rs) throws SQLException {
        String[] roles = (String[]) rs.getArray(3).getArray();
        return new Participant(rs.getString(1), rs.getString(2), Set.of(roles));
    }

    private static SiteRecord site(ResultSet rs) throws SQLException {
        return new SiteRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getInt(9), rs.getDouble(10), rs.getDouble(11));
    }

    private static EvRecord ev(ResultSet rs) throws SQLException {
        return new EvRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getDouble(5),
                rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9), rs.getDouble(10));
    }
}
