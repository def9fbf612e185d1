package org.secondgrid.matcher.solver;

import java.util.ArrayList;
import java.util.List;
import org.secondgrid.matcher.domain.Site;

/**
 * The visits EVs may make: a charge visit at every site that can charge an EV and has surplus left after the grid,
 * a discharge visit at every site that can take V2H/V2B and has demand left; each in {@code min(EVs, 2 x ports)}
 * copies so that several EVs can use a site in one day (the port limit is a constraint per slot).
 */
public final class CandidateVisits {

    private CandidateVisits() {
    }

    public static List<Visit> of(ResidualMarket residual, int evCount) {
        MarketIndex m = residual.market();
        List<Visit> out = new ArrayList<>();
        for (int s = 0; s < m.siteCount(); s++) {
            Site site = m.site(s);
            if (site.ports() <= 0) {
                continue;
            }
            int copies = Math.min(evCount, 2 * site.ports());
            if (site.chargerKw() > 0 && hasLeft(residual, s, true)) {
                for (int c = 0; c < copies; c++) {
                    out.add(new Visit(out.size(), s, site.id(), Visit.Kind.CHARGE));
                }
            }
            if (site.v2xKw() > 0 && hasLeft(residual, s, false)) {
                for (int c = 0; c < copies; c++) {
                    out.add(new Visit(out.size(), s, site.id(), Visit.Kind.DISCHARGE));
                }
            }
        }
        return out;
    }

    private static boolean hasLeft(ResidualMarket r, int site, boolean offer) {
        for (int t = 0; t < r.market().slots(); t++) {
            if ((offer ? r.offerLeftWh(site, t) : r.bidLeftWh(site, t)) > 0) {
                return true;
            }
        }
        return false;
    }
}
