package org.secondgrid.matcher.solver;

import java.util.ArrayList;
import java.util.List;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Site;

/**
 * Turns the LP's amounts of one fixed itinerary into a plan in whole Wh that keeps every rule: each amount is
 * floored and capped by what the site still offers or wants, the port power, the battery room and the traded
 * energy on board (replayed slot by slot as the checker does), and what could not be delivered is taken off the
 * latest charges.
 */
final class LpPlans {

    private LpPlans() {
    }

    /**
     * The plan, subtracting what it uses from {@code offerLeftWh} / {@code bidLeftWh} ([site][slot]); EMPTY when
     * nothing is left to trade.
     */
    static RoutePlan round(MarketIndex m, FixedItinerary it, double[] chargeKwh, double[] dischargeKwh,
                           long[][] offerLeftWh, long[][] bidLeftWh) {
        Ev ev = it.ev().ev();
        double dt = m.slotHours();
        double etaC = ev.chargeEfficiency();
        double etaD = ev.dischargeEfficiency();
        double capWh = ev.capacityKwh() * 1000;
        double p = 0;
        List<List<EnergyAction>> perStop = new ArrayList<>();
        for (int k = 0; k < it.stopCount(); k++) {
            int s = it.sites()[k];
            Site site = m.site(s);
            long chargeRate = (long) Math.floor(Math.min(ev.chargeKw(), site.chargerKw()) * dt * 1000 + 1e-6);
            long dischargeRate = (long) Math.floor(Math.min(ev.dischargeKw(), site.v2xKw()) * dt * 1000 + 1e-6);
            List<EnergyAction> acts = new ArrayList<>();
            for (int t = it.firstEnergySlot(k); t <= it.lastEnergySlot(k); t++) {
                long c = (long) Math.floor(chargeKwh[t] * 1000 + 1e-3);
                long e = (long) Math.floor(dischargeKwh[t] * 1000 + 1e-3);
                if (c > 0 && e > 0) { // never both in one slot: keep the larger
                    if (c * etaC >= e / etaD) {
                        e = 0;
                    } else {
                        c = 0;
                    }
                }
                if (c > 0) {
                    c = Math.min(c, Math.min(chargeRate, offerLeftWh[s][t]));
                    c = Math.min(c, (long) Math.floor((capWh - it.ownWh()[t + 1] - p) / etaC));
                    if (c > 0) {
                        p += etaC * c;
                        acts.add(new EnergyAction(ev.id(), it.ev().index(), s, t, c, true));
                    }
                } else if (e > 0) {
                    e = Math.min(e, Math.min(dischargeRate, bidLeftWh[s][t]));
                    e = Math.min(e, (long) Math.floor(p * etaD + 1e-9));
                    if (e > 0) {
                        p -= e / etaD;
                        acts.add(new EnergyAction(ev.id(), it.ev().index(), s, t, e, false));
                    }
                }
            }
            perStop.add(acts);
        }
        trimLeftover(perStop, p, etaC);
        List<RoutePlan.PlannedStop> stops = new ArrayList<>();
        for (int k = 0; k < it.stopCount(); k++) {
            stops.add(new RoutePlan.PlannedStop(it.sites()[k], it.arrive()[k], it.depart()[k], perStop.get(k)));
        }
        // the same replay as the route planner's: value, cost, fees (km fee = it.kmFeeUnits()), energy left or short
        RoutePlan plan = RoutePlanner.summarize(m, it.ev(), stops, it.km(), 0, 0);
        for (EnergyAction a : plan.actions()) {
            if (a.charge()) {
                offerLeftWh[a.site()][a.slot()] -= a.wh();
            } else {
                bidLeftWh[a.site()][a.slot()] -= a.wh();
            }
        }
        return plan;
    }

    /**
     * Takes charged energy that is still on board at the end off the latest charges: after the last charge the
     * traded energy only falls, so it stays ≥ 0.
     */
    private static void trimLeftover(List<List<EnergyAction>> perStop, double leftover, double etaC) {
        long toRemove = (long) Math.floor(leftover / etaC);
        for (int k = perStop.size() - 1; k >= 0 && toRemove > 0; k--) {
            List<EnergyAction> acts = perStop.get(k);
            for (int a = acts.size() - 1; a >= 0 && toRemove > 0; a--) {
                EnergyAction x = acts.get(a);
                if (!x.charge()) {
                    continue;
                }
                long cut = Math.min(x.wh(), toRemove);
                toRemove -= cut;
                if (cut == x.wh()) {
                    acts.remove(a);
                } else {
                    acts.set(a, new EnergyAction(x.ev(), x.evIndex(), x.site(), x.slot(), x.wh() - cut, true));
                }
            }
        }
    }
}
