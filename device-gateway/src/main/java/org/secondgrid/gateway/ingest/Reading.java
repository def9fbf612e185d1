package org.secondgrid.gateway.ingest;

import java.time.Instant;

/**
 * One accepted telemetry message. Fields that do not apply to the device kind are null.
 *
 * @param deviceId     device id (from the topic)
 * @param kind         {@code meters}, {@code chargers} or {@code evs}
 * @param siteId       site the device is registered at
 * @param seq          per-device sequence number; (deviceId, seq) identifies the reading
 * @param ts           device timestamp
 * @param importWh     meter: cumulative imported Wh
 * @param exportWh     meter: cumulative exported Wh
 * @param pvWh         meter: cumulative PV generation Wh (null if the site has no PV counter)
 * @param evId         charger: plugged EV, or null
 * @param powerKw      charger: +charge / −discharge kW
 * @param sessionWh    charger: energy of the current session
 * @param lat          EV: latitude
 * @param lon          EV: longitude
 * @param socKwh       EV: state of charge in kWh
 * @param counterReset meter: counters went backwards compared with the previous reading
 */
public record Reading(String deviceId, String kind, String siteId, long seq, Instant ts,
                      Double importWh, Double exportWh, Double pvWh,
                      String evId, Double powerKw, Double sessionWh,
                      Double lat, Double lon, Double socKwh, boolean counterReset) {

    public boolean isMeter() {
        return "meters".equals(kind);
    }

    public Reading withCounterReset(boolean reset) {
        return new Reading(deviceId, kind, siteId, seq, ts, importWh, exportWh, pvWh, evId, powerKw, sessionWh,
                lat, lon, socKwh, reset);
    }
}
