package org.secondgrid.simulator.physics;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The setpoints chargers have received, by charger and slot start (thread-safe: MQTT callbacks write, physics reads). */
public final class SetpointBook {

    private final Map<String, Setpoint> byKey = new ConcurrentHashMap<>();

    public void put(Setpoint s) {
        byKey.put(s.chargerId() + "@" + s.slotStart(), s);
    }

    public Setpoint get(String chargerId, Instant slotStart) {
        return byKey.get(chargerId + "@" + slotStart);
    }

    public int size() {
        return byKey.size();
    }
}
