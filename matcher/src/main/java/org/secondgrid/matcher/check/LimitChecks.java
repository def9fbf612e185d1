package org.secondgrid.matcher.check;

import java.util.ArrayList;
import java.util.List;
import org.secondgrid.matcher.domain.Site;

/** Per (site, slot) and (feeder, slot) limits: offer, bid, export, feeder reverse flow, ports. */
final class LimitChecks {

    private LimitChecks() {
    }

    static void run(InstanceIndex x, Ledger l, Violations out) {
        for (int i = 0; i < x.sites.length; i++) {
            Site site = x.sites[i];
            double exportKwh = site.exportLimitKw() * x.dt;
            for (int t = 0; t < x.slots; t++) {
                int c = x.cell(i, t);
                if (l.sold[c] > x.offerKwh[c] + Fmt.kwhTol(l.soldRecords[c])) {
                    out.add("offer-limit", "site " + site.id() + " slot " + t + " sold " + Fmt.kwh(l.sold[c])
                            + " kWh > offer " + Fmt.kwh(x.offerKwh[c]) + " kWh");
                }
                if (l.got[c] > x.bidKwh[c] + Fmt.kwhTol(l.gotRecords[c])) {
                    out.add("bid-limit", "site " + site.id() + " slot " + t + " got " + Fmt.kwh(l.got[c])
                            + " kWh > bid " + Fmt.kwh(x.bidKwh[c]) + " kWh");
                }
                if (l.exported[c] > exportKwh + Fmt.kwhTol(l.exportRecords[c])) {
                    out.add("export-limit", "site " + site.id() + " slot " + t + " exports " + Fmt.kwh(l.exported[c])
                            + " kWh through the grid > exportLimitKw " + Fmt.num(site.exportLimitKw()) + " x "
                            + Fmt.num(x.dt) + " h = " + Fmt.kwh(exportKwh) + " kWh");
                }
                if (l.plugged[c] > site.ports()) {
                    out.add("ports", "site " + site.id() + " slot " + t + " has " + l.plugged[c]
                            + " EVs charging or discharging (" + String.join(", ", evsAt(l, i, t)) + ") > ports "
                            + site.ports());
                }
            }
        }
        for (int f = 0; f < x.feederIds.length; f++) {
            for (int t = 0; t < x.slots; t++) {
                int c = f * x.slots + t;
                if (l.feederNet[c] > x.reverseCapKwh[f] + Fmt.kwhTol(l.feederRecords[c])) {
                    out.add("feeder-reverse", "feeder " + x.feederIds[f] + " slot " + t + " net export "
                            + Fmt.kwh(l.feederNet[c]) + " kWh > reverseCapacityKw "
                            + Fmt.num(x.in.feeders().get(f).reverseCapacityKw()) + " x " + Fmt.num(x.dt) + " h = "
                            + Fmt.kwh(x.reverseCapKwh[f]) + " kWh");
                }
            }
        }
    }

    private static List<String> evsAt(Ledger l, int site, int t) {
        List<String> ids = new ArrayList<>();
        for (EvPlan p : l.planList) {
            if (p.siteAt[t] == site && p.plugged(t)) {
                ids.add(p.ev.id());
            }
        }
        return ids;
    }
}
