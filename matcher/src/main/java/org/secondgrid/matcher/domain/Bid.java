package org.secondgrid.matcher.domain;

/** Energy a site wants in one slot (its forecast load), at a maximum price. */
public record Bid(String site, int slot, double kwh, double bidJpyPerKwh) {
}
