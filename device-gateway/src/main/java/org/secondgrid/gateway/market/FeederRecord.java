package org.secondgrid.gateway.market;

/** A distribution feeder of a market; {@code reverseCapacityKw} = spare reverse capacity (0 = no backflow). */
public record FeederRecord(String id, String market, double reverseCapacityKw) {
}
