package org.secondgrid.gateway.forecast;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Table {@code weather_forecast}: forecasts by (provider, seq); the newest one (by ts) of a day is used. */
public final class WeatherForecastStore {

    private final DataSource ds;

    public WeatherForecastStore(DataSource ds) {
        this.ds = ds;
    }

    /** Stores forecasts inside the caller's transaction; a redelivered (provider, seq) is stored once. */
    public static void write(Connection c, List<WeatherForecast> forecasts) throws SQLException {
        if (forecasts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO weather_forecast (market, provider_id, delivery_day, seq, ts, slot_minutes, irradiance_index)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider_id, seq) DO NOTHING""")) {
            for (WeatherForecast f : forecasts) {
                ps.setString(1, f.market());
                ps.setString(2, f.providerId());
                ps.setDate(3, Date.valueOf(f.day()));
                ps.setLong(4, f.seq());
                ps.setTimestamp(5, Timestamp.from(f.ts()));
                ps.setInt(6, f.slotMinutes());
                Double[] idx = new Double[f.irradianceIndex().length];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = f.irradianceIndex()[i];
                }
                Array a = c.createArrayOf("float8", idx);
                ps.setArray(7, a);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void save(WeatherForecast f) {
        try (Connection c = ds.getConnection()) {
            write(c, List.of(f));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the weather forecast: " + e.getMessage(), e);
        }
    }

    /** The newest forecast index of each day in {@code [from, to)} for a market (days without one are absent). */
    public java.util.Map<LocalDate, double[]> latestByDay(String market, LocalDate from, LocalDate to) {
        java.util.Map<LocalDate, double[]> out = new java.util.HashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT ON (delivery_day) delivery_day, irradiance_index FROM weather_forecast
                WHERE market = ? AND delivery_day >= ? AND delivery_day < ?
                ORDER BY delivery_day, ts DESC, seq DESC""")) {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(from));
            ps.setDate(3, Date.valueOf(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getDate(1).toLocalDate(), doubles((Double[]) rs.getArray(2).getArray()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read weather forecasts: " + e.getMessage(), e);
        }
    }

    private static double[] doubles(Double[] a) {
        double[] idx = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            idx[i] = a[i] == null ? 0 : a[i];
        }
        return idx;
    }

    /** The newest forecast (by its ts, then seq) for a market's day. */
    public Optional<WeatherForecast> latest(String market, LocalDate day) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT provider_id, seq, ts, slot_minutes, irradiance_index FROM weather_forecast
                WHERE market = ? AND delivery_day = ? ORDER BY ts DESC, seq DESC LIMIT 1""")) {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                double[] idx = doubles((Double[]) rs.getArray(5).getArray());
                return Optional.of(new WeatherForecast(market, rs.getString(1), rs.getLong(2),
                        rs.getTimestamp(3).toInstant(), day, rs.getInt(4), idx));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read weather forecasts: " + e.getMessage(), e);
        }
    }
}
