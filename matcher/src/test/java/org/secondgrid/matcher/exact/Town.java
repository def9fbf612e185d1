package org.secondgrid.matcher.exact;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Feeder;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.InstanceValidator;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;

/** Builds small hand-made instances for tests (48 slots of 30 min, grid fee 8 JPY/kWh, 30 km/h). */
final class Town {

    private final List<Feeder> feeders = new ArrayList<>();
    private final List<Site> sites = new ArrayList<>();
    private final List<Offer> offers = new ArrayList<>();
    private final List<Bid> bids = new ArrayList<>();
    private final List<Ev> evs = new ArrayList<>();
    private final Map<String, Map<String, Double>> km = new LinkedHashMap<>();

    Town feeder(String id, double reverseKw) {
        feeders.add(new Feeder(id, reverseKw));
        return this;
    }

    Town site(String id, String feeder, double exportKw, int ports, double chargerKw, double v2xKw) {
        sites.add(new Site(id, feeder, 37.49, 139.93, exportKw, ports, chargerKw, v2xKw));
        return this;
    }

    Town offer(String site, int slot, double kwh, double ask) {
        offers.add(new Offer(site, slot, kwh, ask));
        return this;
    }

    Town bid(String site, int slot, double kwh, double price) {
        bids.add(new Bid(site, slot, kwh, price));
        return this;
    }

    Town ev(Ev ev) {
        evs.add(ev);
        return this;
    }

    /** Symmetric explicit distance. */
    Town km(String a, String b, double d) {
        km.computeIfAbsent(a, x -> new LinkedHashMap<>()).put(b, d);
        km.computeIfAbsent(b, x -> new LinkedHashMap<>()).put(a, d);
        return this;
    }

    Instance build() {
        Instance in = new Instance(Instance.MODEL_VERSION, "hand-made", LocalDate.of(2026, 12, 5), "Asia/Tokyo",
                48, 30, 8.0, 30.0, feeders, sites, offers, bids, evs, km.isEmpty() ? null : km);
        InstanceValidator.validate(in);
        return in;
    }
}
