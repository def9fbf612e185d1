package org.secondgrid.matcher.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks every rule of the model contract on an instance before any solving. */
public final class InstanceValidator {

    private final List<String> problems = new ArrayList<>();

    private InstanceValidator() {
    }

    /** Throws {@link InvalidInstanceException} listing every broken rule, each naming field and value. */
    public static void validate(Instance in) {
        InstanceValidator v = new InstanceValidator();
        v.check(in);
        if (!v.problems.isEmpty()) {
            throw new InvalidInstanceException(v.problems);
        }
    }

    private void fail(String msg) {
        problems.add(msg);
    }

    private void nonNegative(String field, double value) {
        if (!Double.isFinite(value) || value < 0) {
            fail(field + "=" + value + " must be a finite number >= 0");
        }
    }

    private void positive(String field, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            fail(field + "=" + value + " must be a finite number > 0");
        }
    }

    private void check(Instance in) {
        if (in.modelVersion() != Instance.MODEL_VERSION) {
            fail("modelVersion=" + in.modelVersion() + " is not supported (expected " + Instance.MODEL_VERSION + ")");
        }
        if (in.market() == null || in.market().isBlank()) {
            fail("market='" + in.market() + "' must not be blank");
        }
        if (in.slots() <= 0) {
            fail("slots=" + in.slots() + " must be > 0");
        }
        if (in.slotMinutes() <= 0 || in.slots() > 0 && in.slots() * in.slotMinutes() > 25 * 60) {
            fail("slotMinutes=" + in.slotMinutes() + " must be > 0 and slots x slotMinutes at most one day (25 h with DST)");
        }
        nonNegative("gridFeeJpyPerKwh", in.gridFeeJpyPerKwh());
        positive("speedKmh", in.speedKmh());

        Set<String> feederIds = new HashSet<>();
        for (int k = 0; k < in.feeders().size(); k++) {
            Feeder f = in.feeders().get(k);
            String p = "feeders[" + k + "]";
            uniqueId(p, f.id(), feederIds);
            nonNegative(p + ".reverseCapacityKw", f.reverseCapacityKw());
        }
        Set<String> siteIds = new HashSet<>();
        for (int k = 0; k < in.sites().size(); k++) {
            Site s = in.sites().get(k);
            String p = "sites[" + k + "]";
            uniqueId(p, s.id(), siteIds);
            if (!feederIds.contains(s.feeder())) {
                fail(p + ".feeder='" + s.feeder() + "' is not a feeder id");
            }
            if (!(s.lat() >= -90 && s.lat() <= 90)) {
                fail(p + ".lat=" + s.lat() + " must be in [-90, 90]");
            }
            if (!(s.lon() >= -180 && s.lon() <= 180)) {
                fail(p + ".lon=" + s.lon() + " must be in [-180, 180]");
            }
            nonNegative(p + ".exportLimitKw", s.exportLimitKw());
            if (s.ports() < 0) {
                fail(p + ".ports=" + s.ports() + " must be >= 0");
            }
            nonNegative(p + ".chargerKw", s.chargerKw());
            nonNegative(p + ".v2xKw", s.v2xKw());
        }
        checkOrders(in, siteIds);
        checkEvs(in, siteIds);
        checkDistances(in, siteIds);
    }

    private void checkOrders(Instance in, Set<String> siteIds) {
        Map<String, Integer> seen = new HashMap<>();
        for (int k = 0; k < in.offers().size(); k++) {
            Offer o = in.offers().get(k);
            String p = "offers[" + k + "]";
            order(in, siteIds, seen, p, o.site(), o.slot(), o.kwh());
            nonNegative(p + ".askJpyPerKwh", o.askJpyPerKwh());
        }
        seen.clear();
        for (int k = 0; k < in.bids().size(); k++) {
            Bid b = in.bids().get(k);
            String p = "bids[" + k + "]";
            order(in, siteIds, seen, p, b.site(), b.slot(), b.kwh());
            nonNegative(p + ".bidJpyPerKwh", b.bidJpyPerKwh());
        }
    }

    private void order(Instance in, Set<String> siteIds, Map<String, Integer> seen, String p, String site, int slot,
                       double kwh) {
        if (!siteIds.contains(site)) {
            fail(p + ".site='" + site + "' is not a site id");
        }
        if (slot < 0 || slot >= in.slots()) {
            fail(p + ".slot=" + slot + " must be in [0, " + (in.slots() - 1) + "]");
        }
        nonNegative(p + ".kwh", kwh);
        Integer first = seen.putIfAbsent(site + "\u0000" + slot, seen.size());
        if (first != null) {
            fail(p + " is a second order for site '" + site + "' slot " + slot + " (at most one per site and slot)");
        }
    }

    private void checkEvs(Instance in, Set<String> siteIds) {
        Set<String> evIds = new HashSet<>();
        for (int k = 0; k < in.evs().size(); k++) {
            Ev e = in.evs().get(k);
            String p = "evs[" + k + "]";
            uniqueId(p, e.id(), evIds);
            if (!siteIds.contains(e.home())) {
                fail(p + ".home='" + e.home() + "' is not a site id");
            }
            nonNegative(p + ".capacityKwh", e.capacityKwh());
            nonNegative(p + ".initialKwh", e.initialKwh());
            nonNegative(p + ".minKwh", e.minKwh());
            if (e.minKwh() > e.capacityKwh()) {
                fail(p + ".minKwh=" + e.minKwh() + " exceeds capacityKwh=" + e.capacityKwh());
            } else if (e.minKwh() > e.initialKwh()) {
                fail(p + ".minKwh=" + e.minKwh() + " exceeds initialKwh=" + e.initialKwh());
            }
            if (e.initialKwh() > e.capacityKwh()) {
                fail(p + ".initialKwh=" + e.initialKwh() + " exceeds capacityKwh=" + e.capacityKwh());
            }
            nonNegative(p + ".chargeKw", e.chargeKw());
            nonNegative(p + ".dischargeKw", e.dischargeKw());
            efficiency(p + ".chargeEfficiency", e.chargeEfficiency());
            efficiency(p + ".dischargeEfficiency", e.dischargeEfficiency());
            nonNegative(p + ".consumptionKwhPerKm", e.consumptionKwhPerKm());
            if (e.availableFrom() < 0) {
                fail(p + ".availableFrom=" + e.availableFrom() + " must be >= 0");
            }
            if (e.availableFrom() > e.availableTo()) {
                fail(p + ".availableFrom=" + e.availableFrom() + " exceeds availableTo=" + e.availableTo());
            }
            if (e.availableTo() > in.slots()) {
                fail(p + ".availableTo=" + e.availableTo() + " exceeds slots=" + in.slots());
            }
            nonNegative(p + ".feeJpyPerKwh", e.feeJpyPerKwh());
            nonNegative(p + ".feeJpyPerKm", e.feeJpyPerKm());
        }
    }

    private void efficiency(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            fail(field + "=" + value + " must be in (0, 1]");
        }
    }

    private void checkDistances(Instance in, Set<String> siteIds) {
        if (in.distancesKm() == null) {
            return;
        }
        in.distancesKm().forEach((a, row) -> {
            if (!siteIds.contains(a)) {
                fail("distancesKm['" + a + "'] is not a site id");
            }
            if (row == null) {
                fail("distancesKm['" + a + "']=null must be an object");
                return;
            }
            row.forEach((b, km) -> {
                if (!siteIds.contains(b)) {
                    fail("distancesKm['" + a + "']['" + b + "'] is not a site id");
                }
                if (km == null || !Double.isFinite(km) || km < 0) {
                    fail("distancesKm['" + a + "']['" + b + "']=" + km + " must be a finite number >= 0");
                }
            });
        });
    }

    private void uniqueId(String p, String id, Set<String> ids) {
        if (id == null || id.isBlank()) {
            fail(p + ".id='" + id + "' must not be blank");
        } else if (!ids.add(id)) {
            fail(p + ".id='" + id + "' is not unique");
        }
    }
}
