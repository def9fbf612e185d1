package org.secondgrid.gateway.forecast;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Site forecasts from the database: reads the site's {@code metered_slot} history of the
 * {@code historyDays} local days before D and the stored weather forecasts, then calls the pure
 * {@link SiteForecaster}. A history day is used only if at least 90 % of its slots were metered
 * (missing slots count as 0).
 */
public final class ForecastService {

    private final DataSource ds;
    private final WeatherForecastStore weather;
    private final ZoneId zone;
    private final int slotMinutes;
    private final int historyDays;

    public ForecastService(DataSource ds, WeatherForecastStore weather, ZoneId zone, int slotMinutes, int historyDays) {
        this.ds = ds;
        this.weather = weather;
        this.zone = zone;
        this.slotMinutes = slotMinutes;
        this.historyDays = historyDays;
    }

    /** Forecast of {@code siteId} in {@code market} for {@code day}. */
    public SiteForecast forecast(String market, String siteId, LocalDate day) {
        int slots = slotsOf(day);
        double[] index = weather.latest(market, day).map(WeatherForecast::irradianceIndex)
                .filter(a -> a.length == slots).orElse(null);
        return SiteForecaster.forecast(history(market, siteId, day), day, index, slots);
    }

    /** The site's usable history before {@code day}, with the weather index each day had. */
    public List<DayHistory> history(String market, String siteId, LocalDate day) {
        LocalDate from = day.minusDays(historyDays);
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = day.atStartOfDay(zone).toInstant();
        Map<LocalDate, double[][]> days = new HashMap<>();
        Map<LocalDate, Integer> counts = new HashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT slot_start, import_wh, export_wh, pv_wh FROM metered_slot
                WHERE site_id = ? AND slot_start >= ? AND slot_start < ?""")) {
            ps.setString(1, siteId);
            ps.setTimestamp(2, Timestamp.from(start));
            ps.setTimestamp(3, Timestamp.from(end));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ZonedDateTime t = rs.getTimestamp(1).toInstant().atZone(zone);
                    LocalDate d = t.toLocalDate();
                    int slots = slotsOf(d);
                    int slot = (int) (Duration.between(d.atStartOfDay(zone), t).toMinutes() / slotMinutes);
                    if (slot < 0 || slot >= slots) {
                        continue;
                    }
                    double[][] v = days.computeIfAbsent(d, k -> new double[3][slots]);
                    v[0][slot] += rs.getDouble(2);
                    v[1][slot] += rs.getDouble(3);
                    v[2][slot] += rs.getDouble(4);
                    counts.merge(d, 1, Integer::sum);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the metered history of " + siteId + ": " + e.getMessage(), e);
        }
        List<DayHistory> out = new ArrayList<>();
        Map<LocalDate, double[]> indices = days.isEmpty() ? Map.of() : weather.latestByDay(market, from, day);
        days.forEach((d, v) -> {
            if (counts.get(d) >= 0.9 * slotsOf(d)) {
                double[] idx = indices.get(d);
                if (idx != null && idx.length != v[0].length) {
                    idx = null;
                }
                out.add(DayHistory.fromMeter(d, v[0], v[1], v[2], idx));
            }
        });
        return out;
    }

    private int slotsOf(LocalDate d) {
        return (int) (Duration.between(d.atStartOfDay(zone), d.plusDays(1).atStartOfDay(zone)).toMinutes() / slotMinutes);
    }
}
