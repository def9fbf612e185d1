package org.secondgrid.matcher.check;

import org.secondgrid.matcher.domain.Ev;

/**
 * The battery of each EV, slot by slot from the instance alone: owner's energy {@code o} (drops by κ·d at the
 * first slot of each trip) and traded energy {@code p} ({@code p(t+1) = p(t) + ηc·c(t) − e(t)/ηd}).
 * Checks {@code o ≥ minKwh}, {@code p ≥ 0}, {@code o + p ≤ capacityKwh} for t = 0..T and {@code p(T) = 0}.
 * Reports the first slot of each kind per EV, with the number of slots concerned.
 */
final class BatteryChecks {

    private static final double OWNER_TOL = 1e-6;

    private BatteryChecks() {
    }

    static void run(InstanceIndex x, Ledger l, Violations out) {
        for (EvPlan plan : l.planList) {
            one(x, plan, out);
        }
    }

    private static String when(int t, int slots) {
        return t == slots ? "at the end of the day" : "at the start of slot " + t;
    }

    private static String more(int n) {
        return n > 1 ? " (first of " + n + " slots)" : "";
    }

    private static void one(InstanceIndex x, EvPlan plan, Violations out) {
        Ev ev = plan.ev;
        int slots = x.slots;
        double o = ev.initialKwh();
        double p = 0;
        int records = 0;
        int minFirst = -1;
        int minCount = 0;
        double minO = 0;
        int negFirst = -1;
        int negCount = 0;
        double negP = 0;
        int capFirst = -1;
        int capCount = 0;
        double capO = 0;
        double capP = 0;
        for (int t = 0; t <= slots; t++) {
            double tol = Fmt.kwhTol(records);
            if (o < ev.minKwh() - OWNER_TOL) {
                if (minCount++ == 0) {
                    minFirst = t;
                    minO = o;
                }
            }
            if (p < -tol) {
                if (negCount++ == 0) {
                    negFirst = t;
                    negP = p;
                }
            }
            if (o + p > ev.capacityKwh() + tol) {
                if (capCount++ == 0) {
                    capFirst = t;
                    capO = o;
                    capP = p;
                }
            }
            if (t < slots) {
                p += ev.chargeEfficiency() * plan.charge[t] - plan.discharge[t] / ev.dischargeEfficiency();
                o -= plan.ownerDrop[t];
                records += plan.recordsAt[t];
            }
        }
        if (minCount > 0) {
            out.add("battery-min", ev.id() + " owner's energy " + Fmt.kwh(minO) + " kWh < minKwh "
                    + Fmt.kwh(ev.minKwh()) + " kWh " + when(minFirst, slots) + more(minCount) + " (driving "
                    + Fmt.kwh(plan.km) + " km at " + Fmt.num(ev.consumptionKwhPerKm()) + " kWh/km)");
        }
        if (negCount > 0) {
            out.add("battery-traded-negative", ev.id() + " traded energy " + Fmt.kwh(negP) + " kWh < 0 "
                    + when(negFirst, slots) + more(negCount) + " (it delivers energy it has not taken)");
        }
        if (capCount > 0) {
            out.add("battery-capacity", ev.id() + " holds " + Fmt.kwh(capO + capP) + " kWh (owner " + Fmt.kwh(capO)
                    + " + traded " + Fmt.kwh(capP) + ") > capacityKwh " + Fmt.kwh(ev.capacityKwh()) + " kWh "
                    + when(capFirst, slots) + more(capCount));
        }
        if (p > Fmt.kwhTol(records)) {
            out.add("battery-end-empty", ev.id() + " still holds " + Fmt.kwh(p)
                    + " kWh of traded energy at the end of the day (must be 0: everything taken is delivered)");
        }
    }
}
