package org.secondgrid.gateway.delivery;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Delivery settings, each overridable by an environment variable.
 *
 * @param markets           markets whose final schedules are delivered ({@code DELIVERY_MARKETS}, comma-separated; empty = none)
 * @param timeZone          the markets' time zone, to know which delivery day it is ({@code DELIVERY_TIME_ZONE})
 * @param retailerJpyPerKwh price of the backup retailer's imbalance energy ({@code IMBALANCE_PRICE_JPY_PER_KWH})
 * @param closeDelay        clock time after a slot's end before it is evaluated, so its metered slots and charger
 *                          readings are in ({@code DELIVERY_CLOSE_DELAY_SECONDS})
 * @param tickMs            how often (real ms) delivery looks at the clock ({@code DELIVERY_TICK_MS})
 * @param maxWaitMs         how long (real ms) a due slot waits for its meters' final slot energy before it is
 *                          evaluated anyway ({@code DELIVERY_MAX_WAIT_MS})
 */
public record DeliveryConfig(List<String> markets, ZoneId timeZone, double retailerJpyPerKwh, Duration closeDelay,
                             int tickMs, long maxWaitMs) {

    public DeliveryConfig {
        markets = List.copyOf(markets);
        if (!(retailerJpyPerKwh >= 0) || Double.isInfinite(retailerJpyPerKwh)) {
            throw new IllegalArgumentException("IMBALANCE_PRICE_JPY_PER_KWH must be a finite number >= 0, got " + retailerJpyPerKwh);
        }
        if (closeDelay.isNegative()) {
            throw new IllegalArgumentException("DELIVERY_CLOSE_DELAY_SECONDS must be >= 0, got " + closeDelay.toSeconds());
        }
        if (tickMs <= 0) {
            throw new IllegalArgumentException("DELIVERY_TICK_MS must be > 0, got " + tickMs);
        }
        if (maxWaitMs < 0) {
            throw new IllegalArgumentException("DELIVERY_MAX_WAIT_MS must be >= 0, got " + maxWaitMs);
        }
    }

    public static DeliveryConfig defaults() {
        return fromEnv(Map.of());
    }

    public static DeliveryConfig fromEnv(Map<String, String> env) {
        String markets = get(env, "DELIVERY_MARKETS", "");
        String zone = get(env, "DELIVERY_TIME_ZONE", "Asia/Tokyo");
        ZoneId z;
        try {
            z = ZoneId.of(zone);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("DELIVERY_TIME_ZONE must be a time zone id, got '" + zone + "'");
        }
        return new DeliveryConfig(
                Arrays.stream(markets.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(), z,
                number(env, "IMBALANCE_PRICE_JPY_PER_KWH", 40.0),
                Duration.ofSeconds((long) number(env, "DELIVERY_CLOSE_DELAY_SECONDS", 120)),
                (int) number(env, "DELIVERY_TICK_MS", 1000),
                (long) number(env, "DELIVERY_MAX_WAIT_MS", 30_000));
    }

    private static String get(Map<String, String> env, String key, String def) {
        String v = env.get(key);
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static double number(Map<String, String> env, String key, double def) {
        String v = get(env, key, null);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
    }
}
