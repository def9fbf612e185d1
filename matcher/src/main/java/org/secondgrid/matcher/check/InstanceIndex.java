package org.secondgrid.matcher.check;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;

/** The instance indexed by (site, slot) in flat arrays, so that every check is a linear pass. */
final class InstanceIndex {

    final Instance in;
    final int slots;
    final double dt;
    final Site[] sites;
    final Map<String, Integer> siteIdx = new HashMap<>();
    final int[] feederOf;
    final String[] feederIds;
    final double[] reverseCapKwh;
    final double[] offerKwh;
    final double[] askJpy;
    final double[] bidKwh;
    final double[] bidJpy;
    final double offersTotalKwh;
    final double bidsTotalKwh;
    final Map<String, Ev> evs = new LinkedHashMap<>();
    final Distances distances;

    InstanceIndex(Instance in) {
        this.in = in;
        this.slots = in.slots();
        this.dt = in.slotMinutes() / 60.0;
        this.distances = new Distances(in);
        Map<String, Integer> feederIdx = new HashMap<>();
        feederIds = new String[in.feeders().size()];
        reverseCapKwh = new double[feederIds.length];
        for (int f = 0; f < feederIds.length; f++) {
            feederIds[f] = in.feeders().get(f).id();
            reverseCapKwh[f] = in.feeders().get(f).reverseCapacityKw() * dt;
            feederIdx.put(feederIds[f], f);
        }
        sites = in.sites().toArray(Site[]::new);
        feederOf = new int[sites.length];
        for (int i = 0; i < sites.length; i++) {
            siteIdx.put(sites[i].id(), i);
            feederOf[i] = feederIdx.getOrDefault(sites[i].feeder(), -1);
        }
        int cells = sites.length * slots;
        offerKwh = new double[cells];
        askJpy = new double[cells];
        bidKwh = new double[cells];
        bidJpy = new double[cells];
        double offers = 0;
        for (Offer o : in.offers()) {
            int c = cell(siteIdx.get(o.site()), o.slot());
            offerKwh[c] = o.kwh();
            askJpy[c] = o.askJpyPerKwh();
            offers += o.kwh();
        }
        double bids = 0;
        for (Bid b : in.bids()) {
            int c = cell(siteIdx.get(b.site()), b.slot());
            bidKwh[c] = b.kwh();
            bidJpy[c] = b.bidJpyPerKwh();
            bids += b.kwh();
        }
        offersTotalKwh = offers;
        bidsTotalKwh = bids;
        for (Ev ev : in.evs()) {
            evs.put(ev.id(), ev);
        }
    }

    int cell(int site, int slot) {
        return site * slots + slot;
    }

    /** Site index or -1 (null-safe). */
    int site(String id) {
        Integer i = id == null ? null : siteIdx.get(id);
        return i == null ? -1 : i;
    }

    String siteId(int i) {
        return sites[i].id();
    }
}
