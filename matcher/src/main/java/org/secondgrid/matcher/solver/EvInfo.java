package org.secondgrid.matcher.solver;

import org.secondgrid.matcher.domain.Ev;

/** An EV with its index and home site index. */
public record EvInfo(int index, Ev ev, int home) {

    public String id() {
        return ev.id();
    }
}
