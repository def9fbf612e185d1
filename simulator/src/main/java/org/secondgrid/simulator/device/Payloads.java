package org.secondgrid.simulator.device;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Device payloads exactly as real devices send them (device-gateway README "Topics and payloads"). {@code seq} is
 * the minute of the message's timestamp since the epoch: strictly increasing per device across runs, and a re-run
 * of the same simulated time re-sends the same (device, seq), which the gateway stores once.
 */
public final class Payloads {

    private Payloads() {
    }

    public static long seq(Instant ts) {
        return Math.floorDiv(ts.getEpochSecond(), 60);
    }

    public static String ts(Instant ts, ZoneId zone) {
        return OffsetDateTime.ofInstant(ts, zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** Counters rounded to mWh: what the simulator publishes is what it accounts. */
    public static double wh(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    public static String meter(Instant ts, ZoneId zone, double importWh, double exportWh, double pvWh) {
        return String.format(Locale.ROOT, "{\"seq\":%d,\"ts\":\"%s\",\"importWh\":%s,\"exportWh\":%s,\"pvWh\":%s}",
                seq(ts), ts(ts, zone), num(wh(importWh)), num(wh(exportWh)), num(wh(pvWh)));
    }

    public static String charger(Instant ts, ZoneId zone, String ev, double powerKw, double sessionWh) {
        return String.format(Locale.ROOT, "{\"seq\":%d,\"ts\":\"%s\",\"ev\":%s,\"powerKw\":%s,\"sessionWh\":%s}",
                seq(ts), ts(ts, zone), ev == null ? "null" : "\"" + ev + "\"", num(Math.round(powerKw * 1000) / 1000.0),
                num(Math.round(sessionWh * 10) / 10.0));
    }

    public static String ev(Instant ts, ZoneId zone, double lat, double lon, double socKwh) {
        return String.format(Locale.ROOT, "{\"seq\":%d,\"ts\":\"%s\",\"lat\":%s,\"lon\":%s,\"socKwh\":%s}",
                seq(ts), ts(ts, zone), num(Math.round(lat * 1e6) / 1e6), num(Math.round(lon * 1e6) / 1e6),
                num(Math.round(socKwh * 1000) / 1000.0));
    }

    public static String weatherForecast(Instant ts, ZoneId zone, LocalDate day, int slotMinutes, double[] index) {
        StringBuilder b = new StringBuilder(64 + index.length * 6);
        b.append(String.format(Locale.ROOT, "{\"seq\":%d,\"ts\":\"%s\",\"day\":\"%s\",\"slotMinutes\":%d,\"irradianceIndex\":[",
                seq(ts), ts(ts, zone), day, slotMinutes));
        for (int i = 0; i < index.length; i++) {
            b.append(i == 0 ? "" : ",").append(num(index[i]));
        }
        return b.append("]}").toString();
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
