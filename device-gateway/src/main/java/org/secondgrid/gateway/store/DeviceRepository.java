package org.secondgrid.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.secondgrid.gateway.auth.PasswordHasher;
import org.secondgrid.gateway.ingest.Device;

/**
 * The device registry (device, market, site, kind, rating, broker credential hash), with an
 * in-memory cache for the ingest hot path.
 */
public final class DeviceRepository {

    private final DataSource ds;
    private final Map<String, Device> cache = new ConcurrentHashMap<>();
    private final Map<String, Long> misses = new ConcurrentHashMap<>();

    public DeviceRepository(DataSource ds) {
        this.ds = ds;
    }

    /** Registers or updates a device and its broker password (stored as a salted PBKDF2 hash). */
    public void register(Device d, String password) {
        register(List.of(d), List.of(password));
    }

    /** Registers many devices in one transaction. */
    public void register(List<Device> devices, List<String> passwords) {
        register(devices, passwords, PasswordHasher.ITERATIONS);
    }

    /** Registers many devices in one transaction, hashing with the given PBKDF2 iteration count. */
    public void register(List<Device> devices, List<String> passwords, int iterations) {
        String sql = """
                INSERT INTO device (device_id, market, site_id, kind, rated_kw, capacity_kwh, password_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (device_id) DO UPDATE SET market = EXCLUDED.market, site_id = EXCLUDED.site_id,
                  kind = EXCLUDED.kind, rated_kw = EXCLUDED.rated_kw, capacity_kwh = EXCLUDED.capacity_kwh,
                  password_hash = EXCLUDED.password_hash""";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (int i = 0; i < devices.size(); i++) {
                Device d = devices.get(i);
                ps.setString(1, d.deviceId());
                ps.setString(2, d.market());
                ps.setString(3, d.siteId());
                ps.setString(4, d.kind());
                ps.setDouble(5, d.ratedKw());
                ps.setObject(6, d.capacityKwh());
                ps.setString(7, PasswordHasher.hash(passwords.get(i), iterations));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
            for (Device d : devices) {
                cache.put(d.deviceId(), d);
                misses.remove(d.deviceId());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register devices: " + e.getMessage(), e);
        }
    }

    /**
     * Updates a registered device's market, site, kind and ratings, keeping its password hash.
     * Returns false if the device is not registered.
     */
    public boolean update(Device d) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE device SET market = ?, site_id = ?, kind = ?, rated_kw = ?, capacity_kwh = ? WHERE device_id = ?")) {
            ps.setString(1, d.market());
            ps.setString(2, d.siteId());
            ps.setString(3, d.kind());
            ps.setDouble(4, d.ratedKw());
            ps.setObject(5, d.capacityKwh());
            ps.setString(6, d.deviceId());
            boolean found = ps.executeUpdate() == 1;
            if (found) {
                cache.put(d.deviceId(), d);
                misses.remove(d.deviceId());
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update device " + d.deviceId() + ": " + e.getMessage(), e);
        }
    }

    /** Loads the whole registry into the cache. */
    public int loadAll() {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT device_id, market, site_id, kind, rated_kw, capacity_kwh FROM device");
             ResultSet rs = ps.executeQuery()) {
            int n = 0;
            while (rs.next()) {
                Device d = map(rs);
                cache.put(d.deviceId(), d);
                n++;
            }
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load the device registry: " + e.getMessage(), e);
        }
    }

    /**
     * The device, from the cache, else from the database (a miss is remembered for one second so that
     * a flood from an unknown id does not hit the database for every message).
     */
    public Device find(String deviceId) {
        Device d = cache.get(deviceId);
        if (d != null) {
            return d;
        }
        Long missedAt = misses.get(deviceId);
        long now = System.nanoTime();
        if (missedAt != null && now - missedAt < 1_000_000_000L) {
            return null;
        }
        Optional<Device> loaded = load(deviceId);
        if (loaded.isPresent()) {
            cache.put(deviceId, loaded.get());
            misses.remove(deviceId);
            return loaded.get();
        }
        if (misses.size() > 100_000) {
            misses.clear();
        }
        misses.put(deviceId, now);
        return null;
    }

    /** The stored password hash of a device, if registered. */
    public Optional<String> passwordHash(String deviceId) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM device WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read credentials of " + deviceId + ": " + e.getMessage(), e);
        }
    }

    /** Every device's stored password hash (for a generated Mosquitto password file). */
    public Map<String, String> passwordHashes() {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT device_id, password_hash FROM device");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read device credentials: " + e.getMessage(), e);
        }
    }

    /** All registered devices (for broker credential files). */
    public List<Device> all() {
        loadAll();
        return new ArrayList<>(cache.values());
    }

    private Optional<Device> load(String deviceId) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT device_id, market, site_id, kind, rated_kw, capacity_kwh FROM device WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up device " + deviceId + ": " + e.getMessage(), e);
        }
    }

    private static Device map(ResultSet rs) throws SQLException {
        double cap = rs.getDouble(6);
        Double capacity = rs.wasNull() ? null : cap;
        return new Device(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getDouble(5), capacity);
    }
}
