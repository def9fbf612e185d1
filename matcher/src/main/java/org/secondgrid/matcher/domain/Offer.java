package org.secondgrid.matcher.domain;

/** Surplus a site offers in one slot, at a minimum price. */
public record Offer(String site, int slot, double kwh, double askJpyPerKwh) {
}
