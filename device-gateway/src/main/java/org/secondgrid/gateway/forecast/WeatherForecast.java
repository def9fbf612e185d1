package org.secondgrid.gateway.forecast;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One day-ahead weather forecast message ({@code secondgrid/{market}/weather/{providerId}/forecast}).
 *
 * @param irradianceIndex per slot of the local day: forecast PV yield as a fraction of clear-sky yield (0..1.2)
 */
public record WeatherForecast(String market, String providerId, long seq, Instant ts, LocalDate day, int slotMinutes,
                              double[] irradianceIndex) {
}
