package org.secondgrid.simulator.town;

/** A feeder: sites on it share its reverse-flow capacity (0 = no spare reverse capacity). */
public record TownFeeder(String id, double reverseCapacityKw) {

    public TownFeeder {
        Town.require(id != null && !id.isBlank(), "feeders[].id", id);
        Town.require(reverseCapacityKw >= 0, "feeders[" + id + "].reverseCapacityKw", reverseCapacityKw);
    }
}
