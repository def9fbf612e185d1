package org.secondgrid.matcher.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Standard load profiles per 30-minute slot, from the resource {@code generate/bdew-slp-h0-g0-g1.csv}: rows H0
 * (household), G0 (commercial, general) and G1 (commercial, weekdays 08–18) of the BDEW standard load profiles
 * (1999), copied unchanged from the R package standardlastprofile, licence CC0 1.0.
 * Values are watts for 1,000 kWh a year; two 15-minute values are averaged per 30-minute slot.
 */
public final class LoadProfiles {

    /** Profiles the generator uses. */
    public enum Profile { H0, G0, G1 }

    static final String RESOURCE = "/generate/bdew-slp-h0-g0-g1.csv";
    private static final int QUARTERS = 96;

    private final Map<String, double[]> quarters = new HashMap<>();

    public LoadProfiles() {
        try (InputStream in = LoadProfiles.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
            }
            read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        for (Profile p : Profile.values()) {
            for (String season : new String[] {"summer", "winter", "transition"}) {
                for (DayKind k : DayKind.values()) {
                    double[] q = quarters.get(key(p.name(), season, k.bdew()));
                    if (q == null) {
                        throw new IllegalStateException(RESOURCE + " lacks " + p + " " + season + " " + k.bdew());
                    }
                    for (int i = 0; i < QUARTERS; i++) {
                        if (Double.isNaN(q[i])) {
                            throw new IllegalStateException(RESOURCE + " lacks " + p + " " + season + " " + k.bdew()
                                    + " quarter " + i);
                        }
                    }
                }
            }
        }
    }

    private void read(BufferedReader r) throws IOException {
        String line;
        boolean header = true;
        while ((line = r.readLine()) != null) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] f = line.split(",");
            String[] hm = f[3].split(":");
            int quarter = Integer.parseInt(hm[0]) * 4 + Integer.parseInt(hm[1]) / 15;
            double[] q = quarters.computeIfAbsent(key(f[0], f[1], f[2]), k -> {
                double[] a = new double[QUARTERS];
                java.util.Arrays.fill(a, Double.NaN);
                return a;
            });
            q[quarter] = Double.parseDouble(f[4]);
        }
    }

    private static String key(String profile, String season, String day) {
        return profile + "/" + season + "/" + day;
    }

    /**
     * Mean power (W, for 1,000 kWh a year) of {@code profile} on {@code day} in each of {@code slots} slots of
     * {@code slotMinutes} (a multiple of 15 minutes, slots × slotMinutes = 24 h).
     */
    public double[] watts(Profile profile, LocalDate day, int slots, int slotMinutes) {
        if (slotMinutes % 15 != 0 || slots * slotMinutes != 24 * 60) {
            throw new IllegalArgumentException("slots=" + slots + " x slotMinutes=" + slotMinutes
                    + " must cover 24 h in multiples of 15 minutes");
        }
        double[] q = quarters.get(key(profile.name(), DayKind.season(day), DayKind.of(day).bdew()));
        int per = slotMinutes / 15;
        double[] out = new double[slots];
        for (int t = 0; t < slots; t++) {
            double sum = 0;
            for (int k = 0; k < per; k++) {
                sum += q[t * per + k];
            }
            out[t] = sum / per;
        }
        return out;
    }
}
