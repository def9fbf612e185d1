package org.secondgrid.matcher.solver;

/**
 * A candidate stop an EV may make at a site that can charge it from surplus or take its discharge into the load
 * (or both: the EV then serves the site as storage). Values of the EV routes' list variable; a site has as many
 * copies as EVs that may reasonably use it in one day.
 */
public record Visit(int id, int site, String siteId) {

    @Override
    public String toString() {
        return siteId + "#" + id;
    }
}
