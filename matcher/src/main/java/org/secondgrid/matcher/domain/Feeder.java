package org.secondgrid.matcher.domain;

/** A distribution feeder; {@code reverseCapacityKw} is the spare reverse (export) capacity, 0 = none. */
public record Feeder(String id, double reverseCapacityKw) {
}
