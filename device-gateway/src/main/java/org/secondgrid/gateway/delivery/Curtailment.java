package org.secondgrid.gateway.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;

/**
 * Curtailment avoided by a schedule against the status quo (no market), per offer (site, slot), kWh:
 * status quo = offered surplus above the connection's export limit × Δ (what is throttled today);
 * sold = grid sales + EV charges at the site; avoided = min(status quo, max(0, sold − limit × Δ)) (sales
 * within the export limit would have been exported anyway); with the market = status quo − avoided.
 */
public final class Curtailment {

    /** One offer's curtailment. */
    public record SiteSlot(String siteId, String feederId, int slot, double statusQuoKwh, double marketKwh,
                           double avoidedKwh) {
    }

    /** A day's totals. */
    public record Total(double statusQuoKwh, double marketKwh, double avoidedKwh) {
        /** Avoided as % of the status quo (0 when nothing would be curtailed). */
        public double avoidedPercent() {
            return statusQuoKwh <= 0 ? 0 : 100.0 * avoidedKwh / statusQuoKwh;
        }
    }

    private Curtailment() {
    }

    public static List<SiteSlot> of(Instance in, Solution s) {
        MarketPositions market = new MarketPositions(in, s);
        DispatchPlan plan = DispatchPlan.of(in, s);
        Map<String, Site> sites = new HashMap<>();
        in.sites().forEach(x -> sites.put(x.id(), x));
        List<SiteSlot> out = new ArrayList<>();
        for (Offer o : in.offers()) {
            Site site = sites.get(o.site());
            if (site == null) {
                continue;
            }
            double limit = site.exportLimitKw() * in.slotHours();
            double statusQuo = Math.max(0, o.kwh() - limit);
            double sold = market.gridSold(o.site(), o.slot()) + plan.chargeAt(o.site(), o.slot());
            double avoided = Math.min(statusQuo, Math.max(0, sold - limit));
            out.add(new SiteSlot(site.id(), site.feeder(), o.slot(), statusQuo, statusQuo - avoided, avoided));
        }
        return out;
    }

    public static Total total(Instance in, Solution s) {
        double q = 0;
        double m = 0;
        double a = 0;
        for (SiteSlot x : of(in, s)) {
            q += x.statusQuoKwh();
            m += x.marketKwh();
            a += x.avoidedKwh();
        }
        return new Total(ImbalanceRules.r3(q), ImbalanceRules.r3(m), ImbalanceRules.r3(a));
    }
}
