package org.secondgrid.gateway.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.secondgrid.matcher.domain.Site;

/**
 * Per slot and site: metered against scheduled (the final schedule's market positions) = imbalance;
 * metered export above the connection's export limit × Δ = a backflow event; deficits the market
 * did not deliver are bought from the backup retailer. A seller's export above what it sold is not market
 * imbalance: it is the export the site would have had without the market (its own feed-in contract, as the
 * curtailment rule counts it) and is reported as {@code feedInKwh}. Pure: no I/O. See the module README's rules table.
 */
public final class ImbalanceRules {

    /** Energies below this (kWh) are treated as 0 (1 Wh). */
    public static final double TOLERANCE_KWH = 0.001;

    /** Metered energy of a site in a slot (kWh), from {@code metered_slot}. */
    public record Metered(double importKwh, double exportKwh) {
    }

    /** One site's result in one slot (kWh unless named otherwise). */
    public record SiteImbalance(int slot, String siteId, String feederId,
                                double scheduledExportKwh, double meteredExportKwh,
                                double scheduledPurchaseKwh, double meteredImportKwh,
                                double scheduledEvChargeKwh, double dispatchedEvChargeKwh, double measuredEvChargeKwh,
                                double scheduledEvDischargeKwh, double dispatchedEvDischargeKwh,
                                double measuredEvDischargeKwh,
                                double imbalanceKwh, double sellerShortKwh, double evDeficitKwh,
                                double retailerKwh, double retailerJpy, double feedInKwh, boolean meterMissing) {
    }

    /** Metered export above the export limit in one slot. */
    public record BackflowEvent(int slot, String siteId, String feederId, double exportLimitKwh,
                                double meteredExportKwh, double kwhOver, boolean evCaused,
                                double evDischargeKwh) {
    }

    /** The result of one slot. */
    public record SlotResult(int slot, List<SiteImbalance> sites, List<BackflowEvent> backflow) {
        public double imbalanceKwh() {
            return sites.stream().mapToDouble(SiteImbalance::imbalanceKwh).sum();
        }

        public double retailerKwh() {
            return sites.stream().mapToDouble(SiteImbalance::retailerKwh).sum();
        }
    }

    private ImbalanceRules() {
    }

    /**
     * @param metered      metered energy by site (a site without a row is "meter missing": 0 import, 0 export)
     * @param measuredEv   EV energy measured at chargers in the slot
     * @param retailerJpyPerKwh backup retailer's imbalance price
     */
    public static SlotResult evaluate(DispatchPlan plan, MarketPositions market, int slot,
                                      Map<String, Metered> metered, List<ChargerEnergy.EvEnergy> measuredEv,
                                      double retailerJpyPerKwh) {
        double hours = plan.instance().slotHours();
        List<SiteImbalance> rows = new ArrayList<>();
        List<BackflowEvent> backflow = new ArrayList<>();
        TreeSet<String> active = new TreeSet<>();
        for (Site s : plan.instance().sites()) {
            if (market.gridSold(s.id(), slot) > 0 || market.gridBought(s.id(), slot) > 0) {
                active.add(s.id());
            }
        }
        plan.finalActionsAt(slot).forEach(a -> active.add(a.site()));
        plan.actionsAt(slot).forEach(a -> active.add(a.site()));
        measuredEv.forEach(e -> {
            if (plan.site(e.siteId()) != null && e.chargeKwh() + e.dischargeKwh() > TOLERANCE_KWH) {
                active.add(e.siteId());
            }
        });
        for (Site s : plan.instance().sites()) {
            Metered m = metered.get(s.id());
            double mImport = m == null ? 0 : m.importKwh();
            double mExport = m == null ? 0 : m.exportKwh();
            double evDischargeMeasured = measuredEv.stream().filter(e -> e.siteId().equals(s.id()))
                    .mapToDouble(ChargerEnergy.EvEnergy::dischargeKwh).sum();
            double evDischargeDispatched = plan.dischargeAt(s.id(), slot);
            if (m != null) {
                double limit = s.exportLimitKw() * hours;
                double over = mExport - limit;
                if (over > TOLERANCE_KWH) {
                    boolean evCaused = evDischargeMeasured > TOLERANCE_KWH || evDischargeDispatched > TOLERANCE_KWH;
                    backflow.add(new BackflowEvent(slot, s.id(), s.feeder(), r3(limit), r3(mExport), r3(over), evCaused,
                            r3(evDischargeMeasured)));
                }
            }
            if (!active.contains(s.id())) {
                continue;
            }
            double sx = market.gridSold(s.id(), slot);
            double sm = market.gridBought(s.id(), slot);
            double cFinal = plan.finalActionsAt(slot).stream().filter(a -> a.site().equals(s.id()) && a.kwh() > 0)
                    .mapToDouble(DispatchPlan.Action::kwh).sum();
            double eFinal = -plan.finalActionsAt(slot).stream().filter(a -> a.site().equals(s.id()) && a.kwh() < 0)
                    .mapToDouble(DispatchPlan.Action::kwh).sum();
            double cMeasured = measuredEv.stream().filter(e -> e.siteId().equals(s.id()))
                    .mapToDouble(ChargerEnergy.EvEnergy::chargeKwh).sum();
            double gridDev = sx > TOLERANCE_KWH ? Math.min(0, mExport - sx) : 0;
            double feedIn = sx > TOLERANCE_KWH ? Math.max(0, mExport - sx) : 0;
            double purchaseDev = sm > TOLERANCE_KWH ? sm - Math.min(mImport, sm) : 0;
            double evDev = evDischargeMeasured - eFinal;
            double sellerShort = sx > TOLERANCE_KWH ? Math.max(0, sx - mExport) : 0;
            double evDeficit = Math.max(0, eFinal - evDischargeMeasured);
            double imbalance = clean(gridDev + purchaseDev + evDev);
            double retailer = clean(sellerShort) + clean(evDeficit);
            rows.add(new SiteImbalance(slot, s.id(), s.feeder(), r3(sx), r3(mExport), r3(sm), r3(mImport),
                    r3(cFinal), r3(plan.chargeAt(s.id(), slot)), r3(cMeasured),
                    r3(eFinal), r3(evDischargeDispatched), r3(evDischargeMeasured),
                    r3(imbalance), r3(clean(sellerShort)), r3(clean(evDeficit)), r3(retailer),
                    Math.round(retailer * retailerJpyPerKwh * 100) / 100.0, r3(clean(feedIn)), m == null));
        }
        return new SlotResult(slot, rows, backflow);
    }

    private static double clean(double v) {
        return Math.abs(v) <= TOLERANCE_KWH ? 0 : v;
    }

    static double r3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
