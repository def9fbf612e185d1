package org.secondgrid.simulator.weather;

import java.time.LocalDate;

/**
 * Clear-sky PV output per kWp: solar elevation from day of year and local solar time, output
 * proportional to sin(elevation) (a simple air-mass-free model), zero below the horizon.
 */
public final class ClearSkyPv {

    private final double latitudeDeg;

    public ClearSkyPv(double latitudeDeg) {
        if (latitudeDeg < -90 || latitudeDeg > 90 || Double.isNaN(latitudeDeg)) {
            throw new IllegalArgumentException("latitudeDeg must be in [-90, 90], was " + latitudeDeg);
        }
        this.latitudeDeg = latitudeDeg;
    }

    /** kW per kWp at local solar hour {@code hour} (0..24) of {@code day}. */
    public double kwPerKwp(LocalDate day, double hour) {
        double decl = Math.toRadians(23.44) * Math.sin(2 * Math.PI * (284 + day.getDayOfYear()) / 365.0);
        double lat = Math.toRadians(latitudeDeg);
        double hourAngle = Math.toRadians(15 * (hour - 12));
        double sinElev = Math.sin(lat) * Math.sin(decl) + Math.cos(lat) * Math.cos(decl) * Math.cos(hourAngle);
        return Math.max(0, sinElev) * 0.85;
    }
}
