package org.secondgrid.gateway.market;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Settings of the day-ahead cycle, the same for every market of this gateway; each has an environment
 * override (module README, "Market cycle").
 *
 * @param zone              the markets' time zone ({@code MARKET_TIME_ZONE}, Asia/Tokyo)
 * @param gateClosure       local time on D−1 when orders for D close and the matcher runs ({@code MARKET_GATE_CLOSURE}, 10:00)
 * @param jobDeadline       local time on D−1 until which EV owners accept or decline jobs ({@code MARKET_JOB_DEADLINE}, 14:00)
 * @param finalTime         local time on D−1 when the final schedule is published ({@code MARKET_FINAL}, 17:00)
 * @param matcherDeadline   the matcher's deadline at gate closure ({@code MATCHER_DEADLINE_SECONDS}, 300)
 * @param replanDeadline    the matcher's deadline for a re-plan after a decline ({@code REPLAN_DEADLINE_SECONDS}, 30)
 * @param retailTariffJpyPerKwh default maximum bid of auto policies ({@code RETAIL_TARIFF_JPY_PER_KWH}, 30)
 * @param gridFeeJpyPerKwh  wheeling charge in the instance ({@code GRID_FEE_JPY_PER_KWH}, 8)
 * @param speedKmh          EV travel speed in the instance ({@code EV_SPEED_KMH}, 30)
 * @param slotMinutes       slot length ({@code SLOT_MINUTES}, 30)
 * @param pollInterval      how often (real time) the scheduler looks at the clock ({@code MARKET_POLL_MS}, 200)
 * @param historyDays       days of metered history the forecaster reads ({@code FORECAST_HISTORY_DAYS}, 28)
 * @param cycleOn           false = no clock-driven scheduler, phases only on demand ({@code MARKET_CYCLE=off})
 * @param autoOfferQuantile the forecast quantile of auto offers: that lower quantile of the surplus
 *                          ({@code AUTO_OFFER_QUANTILE}, else {@code AUTO_ORDER_QUANTILE}, else 0.5 = the mean)
 * @param autoBidQuantile   the forecast quantile of auto bids: that lower quantile of the net load
 *                          ({@code AUTO_BID_QUANTILE}, else {@code AUTO_ORDER_QUANTILE}, else 0.1); 0.5 = the mean
 */
public record MarketSettings(ZoneId zone, LocalTime gateClosure, LocalTime jobDeadline, LocalTime finalTime,
                             Duration matcherDeadline, Duration replanDeadline, double retailTariffJpyPerKwh,
                             double gridFeeJpyPerKwh, double speedKmh, int slotMinutes, Duration pollInterval,
                             int historyDays, boolean cycleOn, double autoOfferQuantile,
                             double autoBidQuantile) {

    /** Default quantile of auto bids (module README, "Forecasts": chosen by measurement). */
    public static final double DEFAULT_AUTO_BID_QUANTILE = 0.1;
    /** Default quantile of auto offers: the mean (firm offers cost more traded volume than they save imbalance). */
    public static final double DEFAULT_AUTO_OFFER_QUANTILE = 0.5;

    public MarketSettings {
        if (!(autoOfferQuantile > 0 && autoOfferQuantile < 1)) {
            throw MarketException.invalid("AUTO_OFFER_QUANTILE", autoOfferQuantile,
                    "AUTO_OFFER_QUANTILE (or AUTO_ORDER_QUANTILE) must be > 0 and < 1, got " + autoOfferQuantile);
        }
        if (!(autoBidQuantile > 0 && autoBidQuantile < 1)) {
            throw MarketException.invalid("AUTO_BID_QUANTILE", autoBidQuantile,
                    "AUTO_BID_QUANTILE (or AUTO_ORDER_QUANTILE) must be > 0 and < 1, got " + autoBidQuantile);
        }
        if (!gateClosure.isBefore(jobDeadline)) {
            throw MarketException.invalid("MARKET_JOB_DEADLINE", jobDeadline,
                    "the job deadline " + jobDeadline + " must be after gate closure " + gateClosure);
        }
        if (!jobDeadline.isBefore(finalTime)) {
            throw MarketException.invalid("MARKET_FINAL", finalTime,
                    "the final time " + finalTime + " must be after the job deadline " + jobDeadline);
        }
        if (slotMinutes <= 0 || 1440 % slotMinutes != 0) {
            throw MarketException.invalid("SLOT_MINUTES", slotMinutes, "SLOT_MINUTES must divide 1440, got " + slotMinutes);
        }
    }

    public static MarketSettings defaults() {
        return fromEnv(Map.of());
    }

    public static MarketSettings fromEnv(Map<String, String> env) {
        return new MarketSettings(
                zone(env, "MARKET_TIME_ZONE", "Asia/Tokyo"),
                time(env, "MARKET_GATE_CLOSURE", "10:00"),
                time(env, "MARKET_JOB_DEADLINE", "14:00"),
                time(env, "MARKET_FINAL", "17:00"),
                Duration.ofMillis(Math.round(num(env, "MATCHER_DEADLINE_SECONDS", 300) * 1000)),
                Duration.ofMillis(Math.round(num(env, "REPLAN_DEADLINE_SECONDS", 30) * 1000)),
                num(env, "RETAIL_TARIFF_JPY_PER_KWH", 30),
                num(env, "GRID_FEE_JPY_PER_KWH", 8),
                num(env, "EV_SPEED_KMH", 30),
                (int) num(env, "SLOT_MINUTES", 30),
                Duration.ofMillis((long) num(env, "MARKET_POLL_MS", 200)),
                (int) num(env, "FORECAST_HISTORY_DAYS", 28),
                !"off".equalsIgnoreCase(str(env, "MARKET_CYCLE", "on")),
                num(env, "AUTO_OFFER_QUANTILE", num(env, "AUTO_ORDER_QUANTILE", DEFAULT_AUTO_OFFER_QUANTILE)),
                num(env, "AUTO_BID_QUANTILE", num(env, "AUTO_ORDER_QUANTILE", DEFAULT_AUTO_BID_QUANTILE)));
    }

    /** Same settings with other matcher deadlines (tests, the demo). */
    public MarketSettings withDeadlines(Duration matcher, Duration replan) {
        return new MarketSettings(zone, gateClosure, jobDeadline, finalTime, matcher, replan, retailTariffJpyPerKwh,
                gridFeeJpyPerKwh, speedKmh, slotMinutes, pollInterval, historyDays, cycleOn, autoOfferQuantile,
                autoBidQuantile);
    }

    /** Same settings with the clock-driven scheduler on or off. */
    public MarketSettings withCycle(boolean on) {
        return new MarketSettings(zone, gateClosure, jobDeadline, finalTime, matcherDeadline, replanDeadline,
                retailTariffJpyPerKwh, gridFeeJpyPerKwh, speedKmh, slotMinutes, pollInterval, historyDays, on, autoOfferQuantile,
                autoBidQuantile);
    }

    /** Same settings with other auto-order quantiles (tests, the demo). */
    public MarketSettings withAutoOrderQuantiles(double offerQuantile, double bidQuantile) {
        return new MarketSettings(zone, gateClosure, jobDeadline, finalTime, matcherDeadline, replanDeadline,
                retailTariffJpyPerKwh, gridFeeJpyPerKwh, speedKmh, slotMinutes, pollInterval, historyDays, cycleOn,
                offerQuantile, bidQuantile);
    }

    /** Gate closure for delivery day {@code day}: D−1 at {@link #gateClosure()} local time. */
    public Instant gateClosureOf(LocalDate day) {
        return at(day.minusDays(1), gateClosure);
    }

    public Instant jobDeadlineOf(LocalDate day) {
        return at(day.minusDays(1), jobDeadline);
    }

    public Instant finalOf(LocalDate day) {
        return at(day.minusDays(1), finalTime);
    }

    /** Start of slot 0 of {@code day} (local midnight). */
    public Instant dayStart(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    /** Slots in the local day (48 for 30-minute slots; more or fewer on a DST change day). */
    public int slotsOf(LocalDate day) {
        long minutes = Duration.between(day.atStartOfDay(zone), day.plusDays(1).atStartOfDay(zone)).toMinutes();
        return (int) (minutes / slotMinutes);
    }

    private Instant at(LocalDate d, LocalTime t) {
        return ZonedDateTime.of(d, t, zone).toInstant();
    }

    private static String str(Map<String, String> env, String key, String def) {
        String v = env.get(key);
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static ZoneId zone(Map<String, String> env, String key, String def) {
        String v = str(env, key, def);
        try {
            return ZoneId.of(v);
        } catch (RuntimeException e) {
            throw MarketException.invalid(key, v, key + " must be a time-zone id such as Asia/Tokyo, got '" + v + "'");
        }
    }

    private static LocalTime time(Map<String, String> env, String key, String def) {
        String v = str(env, key, def);
        try {
            return LocalTime.parse(v);
        } catch (DateTimeParseException e) {
            throw MarketException.invalid(key, v, key + " must be a local time HH:MM, got '" + v + "'");
        }
    }

    private static double num(Map<String, String> env, String key, double def) {
        String v = str(env, key, null);
        if (v == null) {
            return def;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw MarketException.invalid(key, v, key + " must be a number >= 0, got '" + v + "'");
        }
    }
}
