package org.secondgrid.matcher.generate;

import java.util.HashMap;
import java.util.Map;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;

/**
 * Headline figures of an instance: how much surplus is offered, how much of it sits behind export limit 0
 * (reachable only by EV or not at all), and how much demand is bid.
 */
public record InstanceStats(int sites, int feeders, int evs, int offers, int bids, double offeredKwh,
                            double offeredAtNoExportKwh, double bidKwh) {

    public static InstanceStats of(Instance in) {
        Map<String, Site> sites = new HashMap<>();
        for (Site s : in.sites()) {
            sites.put(s.id(), s);
        }
        long offeredWh = 0;
        long noExportWh = 0;
        for (Offer o : in.offers()) {
            long wh = Math.round(o.kwh() * 1000);
            offeredWh += wh;
            if (sites.get(o.site()).exportLimitKw() == 0) {
                noExportWh += wh;
            }
        }
        long bidWh = 0;
        for (Bid b : in.bids()) {
            bidWh += Math.round(b.kwh() * 1000);
        }
        return new InstanceStats(in.sites().size(), in.feeders().size(), in.evs().size(), in.offers().size(),
                in.bids().size(), offeredWh / 1000.0, noExportWh / 1000.0, bidWh / 1000.0);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%d sites, %d feeders, %d EVs; %d offers %.3f kWh (%.3f kWh at export-limit-0 sites), %d bids %.3f kWh",
                sites, feeders, evs, offers, offeredKwh, offeredAtNoExportKwh, bids, bidKwh);
    }
}
