package org.secondgrid.matcher.check;

import java.util.LinkedHashMap;
import java.util.Map;

/** A pool recomputed from the schedule: value V, cost C, fees F, its parties and its fee payee. */
final class PoolCalc {

    /** What one site sold into and got from the pool, in kWh and at its own prices. */
    static final class Party {
        double soldKwh;
        double askValueJpy;
        double gotKwh;
        double bidValueJpy;

        boolean buyer() {
            return gotKwh > 0;
        }

        boolean seller() {
            return soldKwh > 0;
        }
    }

    final String name;
    final String feePayee;
    final Map<String, Party> parties = new LinkedHashMap<>();
    double value;
    double cost;
    double fees;
    int records;

    PoolCalc(String name, String feePayee) {
        this.name = name;
        this.feePayee = feePayee;
    }

    Party party(String site) {
        return parties.computeIfAbsent(site, k -> new Party());
    }

    double surplus() {
        return value - cost - fees;
    }

    double soldKwh() {
        double s = 0;
        for (Party p : parties.values()) {
            s += p.soldKwh;
        }
        return s;
    }

    /** A pool with no money at all need not be listed. */
    boolean empty() {
        return value == 0 && cost == 0 && fees == 0;
    }
}
