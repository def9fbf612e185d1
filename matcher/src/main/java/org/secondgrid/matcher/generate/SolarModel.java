package org.secondgrid.matcher.generate;

import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Clear-sky PV output per slot for one town and day. The sun's position is computed once per sample time at the
 * town centre (NOAA approximations for declination and equation of time); irradiance is the Haurwitz clear-sky
 * model split 85 % beam / 15 % diffuse, projected on the panel plane (isotropic sky, ground albedo 0.2), with a
 * performance ratio of 0.8. Each slot averages {@value #SAMPLES} sample times. {@link StrictMath} keeps results
 * bit-identical on every JVM.
 */
public final class SolarModel {

    static final int SAMPLES = 3;
    static final double PERFORMANCE_RATIO = 0.8;
    private static final double DIFFUSE_FRACTION = 0.15;
    private static final double ALBEDO = 0.2;

    private final int slots;
    /** Per slot and sample: cos of the zenith angle, sin of it, cos and sin of the sun's azimuth (from south, + west). */
    private final double[][] cosZ;
    private final double[][] sinZ;
    private final double[][] cosAz;
    private final double[][] sinAz;
    private final double[][] ghi;

    public SolarModel(LocalDate day, ZoneId zone, double lat, double lon, int slots, int slotMinutes) {
        this.slots = slots;
        cosZ = new double[slots][SAMPLES];
        sinZ = new double[slots][SAMPLES];
        cosAz = new double[slots][SAMPLES];
        sinAz = new double[slots][SAMPLES];
        ghi = new double[slots][SAMPLES];
        double utcOffsetHours = zone.getRules().getOffset(day.atStartOfDay()).getTotalSeconds() / 3600.0;
        double phi = StrictMath.toRadians(lat);
        int dayOfYear = day.getDayOfYear();
        for (int t = 0; t < slots; t++) {
            for (int s = 0; s < SAMPLES; s++) {
                double minutes = (t + (s + 0.5) / SAMPLES) * slotMinutes;
                double hours = minutes / 60.0;
                double g = 2 * StrictMath.PI / 365.0 * (dayOfYear - 1 + (hours - 12) / 24.0);
                double eqTime = 229.18 * (0.000075 + 0.001868 * StrictMath.cos(g) - 0.032077 * StrictMath.sin(g)
                        - 0.014615 * StrictMath.cos(2 * g) - 0.040849 * StrictMath.sin(2 * g));
                double decl = 0.006918 - 0.399912 * StrictMath.cos(g) + 0.070257 * StrictMath.sin(g)
                        - 0.006758 * StrictMath.cos(2 * g) + 0.000907 * StrictMath.sin(2 * g)
                        - 0.002697 * StrictMath.cos(3 * g) + 0.00148 * StrictMath.sin(3 * g);
                double trueSolarMinutes = minutes + eqTime + 4 * lon - 60 * utcOffsetHours;
                double ha = StrictMath.toRadians(trueSolarMinutes / 4.0 - 180);
                double cz = StrictMath.sin(phi) * StrictMath.sin(decl)
                        + StrictMath.cos(phi) * StrictMath.cos(decl) * StrictMath.cos(ha);
                double az = StrictMath.atan2(StrictMath.sin(ha),
                        StrictMath.cos(ha) * StrictMath.sin(phi) - StrictMath.tan(decl) * StrictMath.cos(phi));
                cosZ[t][s] = cz;
                sinZ[t][s] = StrictMath.sqrt(Math.max(0, 1 - cz * cz));
                cosAz[t][s] = StrictMath.cos(az);
                sinAz[t][s] = StrictMath.sin(az);
                ghi[t][s] = cz > 0.01 ? 1098 * cz * StrictMath.exp(-0.057 / cz) : 0;
            }
        }
    }

    /**
     * Clear-sky output (kW per kWp) in each slot of a panel tilted {@code tiltDeg} from horizontal and facing
     * {@code azimuthDeg} (0 = south, + west).
     */
    public double[] kwPerKwp(double tiltDeg, double azimuthDeg) {
        double beta = StrictMath.toRadians(tiltDeg);
        double gamma = StrictMath.toRadians(azimuthDeg);
        double cb = StrictMath.cos(beta);
        double sb = StrictMath.sin(beta);
        double cg = StrictMath.cos(gamma);
        double sg = StrictMath.sin(gamma);
        double[] out = new double[slots];
        for (int t = 0; t < slots; t++) {
            double sum = 0;
            for (int s = 0; s < SAMPLES; s++) {
                double h = ghi[t][s];
                if (h <= 0) {
                    continue;
                }
                double dni = h * (1 - DIFFUSE_FRACTION) / cosZ[t][s];
                double cosIncidence = cosZ[t][s] * cb
                        + sinZ[t][s] * sb * (cosAz[t][s] * cg + sinAz[t][s] * sg);
                double poa = dni * Math.max(0, cosIncidence) + h * DIFFUSE_FRACTION * (1 + cb) / 2
                        + h * ALBEDO * (1 - cb) / 2;
                sum += poa;
            }
            out[t] = sum / SAMPLES / 1000.0 * PERFORMANCE_RATIO;
        }
        return out;
    }
}
