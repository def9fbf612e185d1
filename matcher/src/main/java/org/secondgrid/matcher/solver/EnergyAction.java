package org.secondgrid.matcher.solver;

/** One slot of energy of one EV at one site: {@code wh > 0} taken from the site (charge) or put into its load. */
public record EnergyAction(String ev, int evIndex, int site, int slot, long wh, boolean charge) {

    /** Key of (site, slot) for grouping. */
    public long siteSlot() {
        return ((long) site << 16) | slot;
    }
}
