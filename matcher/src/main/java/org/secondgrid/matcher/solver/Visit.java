package org.secondgrid.matcher.solver;

/**
 * A candidate stop an EV may make: charge at a surplus site or discharge into a buyer's load. Values of the
 * EV routes' list variable; a site has as many copies as EVs that may reasonably use it in one day.
 */
public record Visit(int id, int site, String siteId, Kind kind) {

    /** What the EV does at the stop. */
    public enum Kind { CHARGE, DISCHARGE }

    @Override
    public String toString() {
        return kind + "@" + siteId + "#" + id;
    }
}
