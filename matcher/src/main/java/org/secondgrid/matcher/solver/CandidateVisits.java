package org.secondgrid.matcher.solver;

import java.util.ArrayList;
import java.util.List;
import org.secondgrid.matcher.domain.Site;

/**
 * The visits EVs may make: every site that can charge an EV and has surplus left after the grid, or can take V2H/V2B
 * and has demand left; each in {@code min(3 x EVs, 3 x ports + 1)} copies so that several EVs, or one EV several
 * times, can use a site in one day (the port limit is a constraint per slot).
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
            int copies = Math.min(3 * evCount, 3 * site.ports() + 1);
            boolean canCharge = site.chargerKw() > 0 && hasLeft(residual, s, true);
            boolean canDischarge = site.v2xKw() > 0 && hasLeft(residual, s, false);
            if (canCharge || canDischarge) {
                for (int c = 0; c < copies; c++) {
                    out.add(new Visit(out.size(), s, site.id()));
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
