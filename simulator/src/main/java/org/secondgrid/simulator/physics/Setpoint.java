package org.secondgrid.simulator.physics;

import java.time.Instant;

/** A charger setpoint for one slot as the gateway publishes it: + charge / − discharge kW, {@code ev} null = idle. */
public record Setpoint(String chargerId, Instant slotStart, String ev, double powerKw) {
}
