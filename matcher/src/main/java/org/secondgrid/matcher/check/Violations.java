package org.secondgrid.matcher.check;

import java.util.ArrayList;
import java.util.List;

/** Collects violations in the order found. */
final class Violations {

    final List<Violation> list = new ArrayList<>();

    void add(String rule, String message) {
        list.add(new Violation(rule, message));
    }

    int count() {
        return list.size();
    }
}
