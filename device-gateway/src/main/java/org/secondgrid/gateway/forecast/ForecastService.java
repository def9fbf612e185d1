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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Site forecasts from the database: reads the sites' {@code metered_slot} history of the
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
        return forecastAll(market, List.of(siteId), day).get(siteId);
    }

    /** Forecasts of many sites of one market for {@code day}, with one history query (gate closure). */
    public Map<String, SiteForecast> forecastAll(String market, Collection<String> siteIds, LocalDate day) {
        int slots = slotsOf(day);
        double[] index = weather.latest(market, day).map(WeatherForecast::irradianceIndex)
                .filter(a -> a.length == slots).orElse(null);
        Map<String, List<DayHistory>> histories = histories(market, siteIds, day);
        Map<String, SiteForecast> out = new HashMap<>();
        for (String site : siteIds) {
            out.put(site, SiteForecaster.forecast(histories.getOrDefault(site, List.of()), day, index, slots));
        }
        return out;
    }

    /** The site's usable history before {@code day}, with the weather index each day had. */
    public List<DayHistory> history(String market, String siteId, LocalDate day) {
        return histories(market, List.of(siteId), day).getOrDefault(siteId, List.of());
    }

    private record SiteDay(String site, LocalDate day) {
    }

    /** Usable history per site (sites without any are absent). */
    public Map<String, List<DayHistory>> histories(String market, Collection<String> siteIds, LocalDate day) {
        LocalDate from = day.minusDays(historyDays);
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = day.atStartOfDay(zone).toInstant();
        Map<SiteDay, double[][]> days = new HashMap<>();
        Map<SiteDay, Integer> counts = new HashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT site_id, slot_start, import_wh, export_wh, pv_wh FROM metered_slot
                WHERE site_id = ANY (?) AND slot_start >= ? AND slot_start < ?""")) {
            ps.setArray(1, c.createArrayOf("text", siteIds.toArray()));
            ps.setTimestamp(2, Timestamp.from(start));
            ps.setTimestamp(3, Timestamp.from(end));
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ZonedDateTime t = rs.getTimestamp(2).toInstant().atZone(zone);
                    LocalDate d = t.toLocalDate();
                    int slots = slotsOf(d);
                    int slot = (int) (Duration.between(d.atStartOfDay(zone), t).toMinutes() / slotMinutes);
                    if (slot < 0 || slot >= slots) {
                        continue;
                    }
                    SiteDay key = new SiteDay(rs.getString(1), d);
                    double[][] v = days.computeIfAbsent(key, k -> new double[3][slots]);
                    v[0][slot] += rs.getDouble(3);
                    v[1][slot] += rs.getDouble(4);
                    v[2][slot] += rs.getDouble(5);
                    counts.merge(key, 1, Integer::sum);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the metered history of " + siteIds.size() + " site(s): "
                    + e.getMessage(), e);
        }
        Map<LocalDate, double[]> indices = days.isEmpty() ? Map.of() : weather.latestByDay(market, from, day);
        Map<String, List<DayHistory>> out = new HashMap<>();
        days.forEach((k, v) -> {
            if (counts.get(k) >= 0.9 * slotsOf(k.day())) {
                double[] idx = indices.get(k.day());
                if (idx != null && idx.length != v[0].length) {
                    idx = null;
                }
                out.computeIfAbsent(k.site(), s -> new ArrayList<>()).add(DayHistory.fromMeter(k.day(), v[0], v[1], v[2],
                        idx));
            }
        });
        return out;
    }

    private int slotsOf(LocalDate d) {
        return (int) (Duration.between(d.atStartOfDay(zone), d.plusDays(1).atStartOfDay(zone)).toMinutes() / slotMinutes);
    }
}
