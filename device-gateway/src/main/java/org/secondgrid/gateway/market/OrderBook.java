package org.secondgrid.gateway.market;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * What participants submit for a delivery day before its gate closure: order policies, manual orders
 * and EV availability. Writes for day D after D's gate closure are refused ({@code GATE_CLOSED}); every
 * field is validated (the error names it and its value); each write is one transaction.
 */
public final class OrderBook {

    private final DataSource ds;
    private final Clock clock;
    private final MarketSettings settings;
    private final MarketRegistry registry;

    public OrderBook(DataSource ds, Clock clock, MarketSettings settings, MarketRegistry registry) {
        this.ds = ds;
        this.clock = clock;
        this.settings = settings;
        this.registry = registry;
    }

    /** The default policy of a site without one: auto, ask 0, bid = the retail tariff. */
    public OrderPolicy defaultPolicy() {
        return new OrderPolicy(OrderPolicy.Mode.AUTO, 0, settings.retailTariffJpyPerKwh());
    }

    /** Sets a site's policy (applies to every day whose gate has not closed). */
    public void setPolicy(String siteId, OrderPolicy p) {
        site(siteId);
        if (p.mode() == null) {
            throw MarketException.invalid("mode", null, "mode must be auto or manual, got null");
        }
        MarketRegistry.nonNegative("minAskJpyPerKwh", p.minAskJpyPerKwh());
        MarketRegistry.nonNegative("maxBidJpyPerKwh", p.maxBidJpyPerKwh());
        update("""
                INSERT INTO order_policy (site_id, mode, min_ask_jpy_per_kwh, max_bid_jpy_per_kwh, updated_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (site_id) DO UPDATE SET mode = EXCLUDED.mode,
                  min_ask_jpy_per_kwh = EXCLUDED.min_ask_jpy_per_kwh, max_bid_jpy_per_kwh = EXCLUDED.max_bid_jpy_per_kwh,
                  updated_at = EXCLUDED.updated_at""", ps -> {
            ps.setString(1, siteId);
            ps.setString(2, p.mode().wire());
            ps.setDouble(3, p.minAskJpyPerKwh());
            ps.setDouble(4, p.maxBidJpyPerKwh());
            ps.setTimestamp(5, Timestamp.from(clock.instant()));
        });
    }

    /** The site's policy, or {@link #defaultPolicy()}. */
    public OrderPolicy policy(String siteId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT mode, min_ask_jpy_per_kwh, max_bid_jpy_per_kwh FROM order_policy WHERE site_id = ?")) {
            ps.setString(1, siteId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new OrderPolicy(OrderPolicy.Mode.parse(rs.getString(1)), rs.getDouble(2), rs.getDouble(3));
                }
            }
            return defaultPolicy();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the order policy of " + siteId + ": " + e.getMessage(), e);
        }
    }

    /** Stored policies of every site of a market that has one (others use {@link #defaultPolicy()}). */
    public java.util.Map<String, OrderPolicy> policies(String market) {
        java.util.Map<String, OrderPolicy> out = new java.util.HashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT p.site_id, p.mode, p.min_ask_jpy_per_kwh, p.max_bid_jpy_per_kwh
                FROM order_policy p JOIN site s ON s.site_id = p.site_id WHERE s.market = ?""")) {
            ps.setString(1, market);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new OrderPolicy(OrderPolicy.Mode.parse(rs.getString(2)), rs.getDouble(3),
                            rs.getDouble(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the order policies of " + market + ": " + e.getMessage(), e);
        }
    }

    /** Manual orders of every site of a market for {@code day} (sites without any are absent). */
    public java.util.Map<String, ManualOrders> manualOrdersOf(String market, LocalDate day) {
        java.util.Map<String, List<ManualOrders.Offer>> offers = new java.util.HashMap<>();
        java.util.Map<String, List<ManualOrders.Bid>> bids = new java.util.HashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT o.site_id, o.side, o.slot, o.kwh, o.price_jpy_per_kwh FROM manual_order o
                JOIN site s ON s.site_id = o.site_id WHERE s.market = ? AND o.delivery_day = ?
                ORDER BY o.site_id, o.side, o.slot""")) {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String site = rs.getString(1);
                    if ("offer".equals(rs.getString(2))) {
                        offers.computeIfAbsent(site, k -> new ArrayList<>()).add(new ManualOrders.Offer(rs.getInt(3),
                                rs.getDouble(4), rs.getDouble(5)));
                    } else {
                        bids.computeIfAbsent(site, k -> new ArrayList<>()).add(new ManualOrders.Bid(rs.getInt(3),
                                rs.getDouble(4), rs.getDouble(5)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the orders of " + market + ": " + e.getMessage(), e);
        }
        java.util.Map<String, ManualOrders> out = new java.util.HashMap<>();
        Set<String> sites = new HashSet<>(offers.keySet());
        sites.addAll(bids.keySet());
        for (String site : sites) {
            out.put(site, new ManualOrders(offers.getOrDefault(site, List.of()), bids.getOrDefault(site, List.of())));
        }
        return out;
    }

    /** Availability of every EV of a market declared for {@code day}. */
    public java.util.Map<String, EvAvailability> availabilities(String market, LocalDate day) {
        java.util.Map<String, EvAvailability> out = new java.util.HashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT a.ev_id, a.available_from, a.available_to, a.min_kwh, a.initial_kwh, a.fee_jpy_per_kwh,
                  a.fee_jpy_per_km FROM ev_availability a JOIN ev e ON e.ev_id = a.ev_id
                WHERE e.market = ? AND a.delivery_day = ?""")) {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new EvAvailability(rs.getInt(2), rs.getInt(3), rs.getDouble(4),
                            rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read EV availability of " + market + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the site's manual orders for {@code day} (all of them, in one transaction). */
    public void putManualOrders(String siteId, LocalDate day, ManualOrders orders) {
        SiteRecord site = site(siteId);
        open(site.market(), day);
        int slots = settings.slotsOf(day);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < orders.offers().size(); i++) {
            ManualOrders.Offer o = orders.offers().get(i);
            order("offers[" + i + "]", o.slot(), o.kwh(), o.askJpyPerKwh(), "askJpyPerKwh", slots, seen);
        }
        seen.clear();
        for (int i = 0; i < orders.bids().size(); i++) {
            ManualOrders.Bid b = orders.bids().get(i);
            order("bids[" + i + "]", b.slot(), b.kwh(), b.bidJpyPerKwh(), "bidJpyPerKwh", slots, seen);
        }
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM manual_order WHERE site_id = ? AND delivery_day = ?");
                 PreparedStatement ins = c.prepareStatement("""
                         INSERT INTO manual_order (site_id, delivery_day, side, slot, kwh, price_jpy_per_kwh, submitted_at)
                         VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                del.setString(1, siteId);
                del.setDate(2, Date.valueOf(day));
                del.executeUpdate();
                for (ManualOrders.Offer o : orders.offers()) {
                    row(ins, siteId, day, "offer", o.slot(), o.kwh(), o.askJpyPerKwh(), now);
                }
                for (ManualOrders.Bid b : orders.bids()) {
                    row(ins, siteId, day, "bid", b.slot(), b.kwh(), b.bidJpyPerKwh(), now);
                }
                ins.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save orders of " + siteId + ": " + e.getMessage(), e);
        }
    }

    private static void row(PreparedStatement ins, String site, LocalDate day, String side, int slot, double kwh,
                            double price, Timestamp now) throws SQLException {
        ins.setString(1, site);
        ins.setDate(2, Date.valueOf(day));
        ins.setString(3, side);
        ins.setInt(4, slot);
        ins.setDouble(5, Math.round(kwh * 1000) / 1000.0);
        ins.setDouble(6, price);
        ins.setTimestamp(7, now);
        ins.addBatch();
    }

    private static void order(String p, int slot, double kwh, double price, String priceField, int slots,
                              Set<Integer> seen) {
        if (slot < 0 || slot >= slots) {
            throw MarketException.invalid(p + ".slot", slot, p + ".slot must be in [0, " + (slots - 1) + "], got " + slot);
        }
        if (!seen.add(slot)) {
            throw MarketException.invalid(p + ".slot", slot, p + ".slot " + slot + " appears twice (one order per slot)");
        }
        MarketRegistry.nonNegative(p + ".kwh", kwh);
        MarketRegistry.nonNegative(p + "." + priceField, price);
    }

    /** The site's manual orders for {@code day} (empty lists if none). */
    public ManualOrders manualOrders(String siteId, LocalDate day) {
        List<ManualOrders.Offer> offers = new ArrayList<>();
        List<ManualOrders.Bid> bids = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT side, slot, kwh, price_jpy_per_kwh FROM manual_order WHERE site_id = ? AND delivery_day = ?
                ORDER BY side, slot""")) {
            ps.setString(1, siteId);
            ps.setDate(2, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if ("offer".equals(rs.getString(1))) {
                        offers.add(new ManualOrders.Offer(rs.getInt(2), rs.getDouble(3), rs.getDouble(4)));
                    } else {
                        bids.add(new ManualOrders.Bid(rs.getInt(2), rs.getDouble(3), rs.getDouble(4)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read orders of " + siteId + ": " + e.getMessage(), e);
        }
        return new ManualOrders(offers, bids);
    }

    /** Declares (or re-declares) an EV's availability for {@code day}. */
    public void declareAvailability(String evId, LocalDate day, EvAvailability a) {
        EvRecord ev = registry.ev(evId).orElseThrow(() -> MarketException.notFound("evId", evId, "EV"));
        open(ev.market(), day);
        int slots = settings.slotsOf(day);
        if (a.availableFrom() < 0 || a.availableFrom() > slots) {
            throw MarketException.invalid("availableFrom", a.availableFrom(),
                    "availableFrom must be in [0, " + slots + "], got " + a.availableFrom());
        }
        if (a.availableTo() < a.availableFrom() || a.availableTo() > slots) {
            throw MarketException.invalid("availableTo", a.availableTo(), "availableTo must be in [availableFrom="
                    + a.availableFrom() + ", " + slots + "], got " + a.availableTo());
        }
        MarketRegistry.nonNegative("minKwh", a.minKwh());
        MarketRegistry.nonNegative("initialKwh", a.initialKwh());
        MarketRegistry.nonNegative("feeJpyPerKwh", a.feeJpyPerKwh());
        MarketRegistry.nonNegative("feeJpyPerKm", a.feeJpyPerKm());
        if (a.initialKwh() > ev.capacityKwh()) {
            throw MarketException.invalid("initialKwh", a.initialKwh(), "initialKwh " + a.initialKwh()
                    + " exceeds the battery capacity " + ev.capacityKwh() + " kWh");
        }
        if (a.minKwh() > a.initialKwh()) {
            throw MarketException.invalid("minKwh", a.minKwh(), "minKwh " + a.minKwh() + " exceeds initialKwh "
                    + a.initialKwh());
        }
        update("""
                INSERT INTO ev_availability (ev_id, delivery_day, available_from, available_to, min_kwh, initial_kwh,
                  fee_jpy_per_kwh, fee_jpy_per_km, declared_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (ev_id, delivery_day) DO UPDATE SET available_from = EXCLUDED.available_from,
                  available_to = EXCLUDED.available_to, min_kwh = EXCLUDED.min_kwh, initial_kwh = EXCLUDED.initial_kwh,
                  fee_jpy_per_kwh = EXCLUDED.fee_jpy_per_kwh, fee_jpy_per_km = EXCLUDED.fee_jpy_per_km,
                  declared_at = EXCLUDED.declared_at""", ps -> {
            ps.setString(1, evId);
            ps.setDate(2, Date.valueOf(day));
            ps.setInt(3, a.availableFrom());
            ps.setInt(4, a.availableTo());
            ps.setDouble(5, a.minKwh());
            ps.setDouble(6, a.initialKwh());
            ps.setDouble(7, a.feeJpyPerKwh());
            ps.setDouble(8, a.feeJpyPerKm());
            ps.setTimestamp(9, Timestamp.from(clock.instant()));
        });
    }

    /** The EV's declaration for {@code day}, if any. */
    public Optional<EvAvailability> availability(String evId, LocalDate day) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT available_from, available_to, min_kwh, initial_kwh, fee_jpy_per_kwh, fee_jpy_per_km
                FROM ev_availability WHERE ev_id = ? AND delivery_day = ?""")) {
            ps.setString(1, evId);
            ps.setDate(2, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(new EvAvailability(rs.getInt(1), rs.getInt(2), rs.getDouble(3), rs.getDouble(4),
                            rs.getDouble(5), rs.getDouble(6)));
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read availability of " + evId + ": " + e.getMessage(), e);
        }
    }

    private SiteRecord site(String siteId) {
        return registry.site(siteId).orElseThrow(() -> MarketException.notFound("siteId", siteId, "site"));
    }

    /** Refuses writes for a day whose gate has closed (by the clock, or because gate closure was run on demand). */
    private void open(String market, LocalDate day) {
        if (day == null) {
            throw MarketException.invalid("day", null, "day must be a date such as 2026-12-05");
        }
        if (!clock.instant().isBefore(settings.gateClosureOf(day)) || gateRan(market, day)) {
            throw MarketException.conflict("GATE_CLOSED", "day", day.toString(), "orders for " + day
                    + " closed at " + settings.gateClosureOf(day) + " (gate closure " + settings.gateClosure()
                    + " the day before, " + settings.zone() + ")");
        }
    }

    private boolean gateRan(String market, LocalDate day) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM market_day WHERE market = ? AND delivery_day = ? AND gate_at IS NOT NULL")) {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the state of " + market + " " + day + ": " + e.getMessage(), e);
        }
    }

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String sql, Binder b) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            b.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("market write failed: " + e.getMessage(), e);
        }
    }
}
