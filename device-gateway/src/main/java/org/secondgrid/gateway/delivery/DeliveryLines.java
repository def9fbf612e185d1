package org.secondgrid.gateway.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;

/**
 * Line protocol (millisecond timestamps = slot start) of delivery's per-slot series, the ones the Grafana
 * dashboards query. Measurements, tags and fields:
 * <ul>
 *   <li>{@code imbalance,market,feeder,site}: imbalance_kwh, imbalance_abs_kwh, retailer_kwh, retailer_jpy, seller_short_kwh,
 *       ev_deficit_kwh, feed_in_kwh, scheduled_ev_discharge_kwh, measured_ev_discharge_kwh</li>
 *   <li>{@code backflow,market,feeder,site,ev_caused}: kwh_over, metered_export_kwh, export_limit_kwh,
 *       ev_discharge_kwh, events (1)</li>
 *   <li>{@code ev_fleet,market,ev}: scheduled_kwh, dispatched_kwh, measured_kwh (+ charge / − discharge), no_show (0/1)</li>
 *   <li>{@code ev_jobs,market}: jobs (EVs with an itinerary in the final schedule), evs (EVs declared available),
 *       charge_kwh, discharge_kwh (at the day's start)</li>
 *   <li>{@code trade,market,channel (grid|ev),via (grid or the EV),seller,buyer,feeder (buyer's)}: kwh_sold,
 *       kwh_delivered, buyer_price_jpy_per_kwh, seller_price_jpy_per_kwh (pool averages, k = 0.5)</li>
 *   <li>{@code curtailment,market,feeder,site}: status_quo_kwh (offered surplus above the export limit,
 *       curtailed without the market), market_kwh (still curtailed with the schedule), avoided_kwh</li>
 *   <li>{@code curtailment_delivered,market,feeder,site}: avoided_kwh measured (metered grid sales and EV charges)</li>
 * </ul>
 */
public final class DeliveryLines {

    /** Share of a pool's surplus that goes to its buyers (spec default). */
    static final double K = 0.5;

    private DeliveryLines() {
    }

    /** Series known as soon as the final schedule is: trades, scheduled curtailment, jobs. */
    public static List<String> schedule(Instance in, Solution s) {
        DeliveryDay day = DeliveryDay.of(in);
        DispatchPlan plan = DispatchPlan.of(in, s);
        Map<String, Site> sites = new HashMap<>();
        in.sites().forEach(x -> sites.put(x.id(), x));
        List<String> out = new ArrayList<>();
        Map<String, Solution.Pool> pools = new HashMap<>();
        s.pools().forEach(p -> pools.put(p.pool(), p));
        Map<String, double[]> poolKwh = new HashMap<>(); // pool -> {sold, delivered}
        for (Solution.Trade t : s.trades()) {
            double[] a = poolKwh.computeIfAbsent(poolOf(t), k -> new double[2]);
            a[0] += t.kwhSold();
            a[1] += t.kwhDelivered();
        }
        for (Solution.Trade t : s.trades()) {
            Solution.Pool p = pools.get(poolOf(t));
            double[] kwh = poolKwh.get(poolOf(t));
            StringBuilder sb = new StringBuilder("trade,market=").append(tag(in.market()))
                    .append(",channel=").append("grid".equals(t.channel()) ? "grid" : "ev")
                    .append(",via=").append(tag(t.channel()))
                    .append(",seller=").append(tag(t.seller())).append(",buyer=").append(tag(t.buyer()))
                    .append(",feeder=").append(tag(feederOf(sites, t.buyer())))
                    .append(" kwh_sold=").append(num(t.kwhSold())).append(",kwh_delivered=").append(num(t.kwhDelivered()));
            if (p != null && kwh[0] > 0 && kwh[1] > 0) {
                sb.append(",buyer_price_jpy_per_kwh=").append(num((p.valueJpy() - K * p.surplusJpy()) / kwh[1]))
                        .append(",seller_price_jpy_per_kwh=").append(num((p.costJpy() + (1 - K) * p.surplusJpy()) / kwh[0]));
            }
            out.add(sb.append(' ').append(day.slotStart(t.slot()).toEpochMilli()).toString());
        }
        for (Curtailment.SiteSlot c : Curtailment.of(in, s)) {
            out.add("curtailment,market=" + tag(in.market()) + ",feeder=" + tag(c.feederId()) + ",site=" + tag(c.siteId())
                    + " status_quo_kwh=" + num(c.statusQuoKwh()) + ",market_kwh=" + num(c.marketKwh())
                    + ",avoided_kwh=" + num(c.avoidedKwh()) + " " + day.slotStart(c.slot()).toEpochMilli());
        }
        double charge = 0;
        double discharge = 0;
        for (int t = 0; t < in.slots(); t++) {
            for (DispatchPlan.Action a : plan.finalActionsAt(t)) {
                if (a.kwh() > 0) {
                    charge += a.kwh();
                } else {
                    discharge -= a.kwh();
                }
            }
        }
        long jobs = s.itineraries().stream().filter(i -> !i.stops().isEmpty()).count();
        out.add("ev_jobs,market=" + tag(in.market()) + " jobs=" + jobs + "i,evs=" + in.evs().size() + "i,charge_kwh="
                + num(charge) + ",discharge_kwh=" + num(discharge) + " " + day.start().toEpochMilli());
        return out;
    }

    /** Series of one closed slot: imbalance, backflow, EV fleet, delivered curtailment avoided. */
    public static List<String> slot(DispatchPlan plan, MarketPositions market, String marketId, Instant slotStart,
                                    ImbalanceRules.SlotResult r, List<ChargerEnergy.EvEnergy> measured,
                                    Map<String, Double> dispatchedBefore, Map<String, ImbalanceRules.Metered> metered) {
        long ts = slotStart.toEpochMilli();
        String m = tag(marketId);
        List<String> out = new ArrayList<>();
        for (ImbalanceRules.SiteImbalance s : r.sites()) {
            out.add("imbalance,market=" + m + ",feeder=" + tag(s.feederId()) + ",site=" + tag(s.siteId())
                    + " imbalance_kwh=" + num(s.imbalanceKwh()) + ",imbalance_abs_kwh=" + num(Math.abs(s.imbalanceKwh()))
                    + ",retailer_kwh=" + num(s.retailerKwh())
                    + ",retailer_jpy=" + num(s.retailerJpy()) + ",seller_short_kwh=" + num(s.sellerShortKwh())
                    + ",ev_deficit_kwh=" + num(s.evDeficitKwh()) + ",feed_in_kwh=" + num(s.feedInKwh())
                    + ",scheduled_ev_discharge_kwh=" + num(s.scheduledEvDischargeKwh())
                    + ",measured_ev_discharge_kwh=" + num(s.measuredEvDischargeKwh()) + " " + ts);
        }
        for (ImbalanceRules.BackflowEvent b : r.backflow()) {
            out.add("backflow,market=" + m + ",feeder=" + tag(b.feederId()) + ",site=" + tag(b.siteId())
                    + ",ev_caused=" + b.evCaused() + " kwh_over=" + num(b.kwhOver()) + ",metered_export_kwh="
                    + num(b.meteredExportKwh()) + ",export_limit_kwh=" + num(b.exportLimitKwh())
                    + ",ev_discharge_kwh=" + num(b.evDischargeKwh()) + ",events=1i " + ts);
        }
        for (DispatchPlan.Action f : plan.finalActionsAt(r.slot())) {
            dispatchedBefore.putIfAbsent(f.ev(), 0.0);
        }
        for (Map.Entry<String, Double> e : new java.util.TreeMap<>(dispatchedBefore).entrySet()) {
            String ev = e.getKey();
            double scheduled = plan.finalActionsAt(r.slot()).stream().filter(a -> a.ev().equals(ev))
                    .mapToDouble(DispatchPlan.Action::kwh).sum();
            double measuredKwh = measured.stream().filter(x -> x.ev().equals(ev))
                    .mapToDouble(x -> x.chargeKwh() - x.dischargeKwh()).sum();
            double dispatched = e.getValue();
            boolean noShow = Math.abs(dispatched) > Redispatcher.threshold(Math.abs(dispatched))
                    && Math.abs(measuredKwh) <= Redispatcher.threshold(Math.abs(dispatched));
            out.add("ev_fleet,market=" + m + ",ev=" + tag(ev) + " scheduled_kwh=" + num(scheduled) + ",dispatched_kwh="
                    + num(dispatched) + ",measured_kwh=" + num(measuredKwh) + ",no_show=" + (noShow ? 1 : 0) + "i " + ts);
        }
        double hours = plan.instance().slotHours();
        for (Offer o : plan.instance().offers()) {
            if (o.slot() != r.slot()) {
                continue;
            }
            Site site = plan.site(o.site());
            if (site == null) {
                continue;
            }
            double limit = site.exportLimitKw() * hours;
            double statusQuo = Math.max(0, o.kwh() - limit);
            ImbalanceRules.Metered mt = metered.get(o.site());
            double gridSold = Math.min(mt == null ? 0 : mt.exportKwh(), market.gridSold(o.site(), o.slot()));
            double evCharged = measured.stream().filter(x -> x.siteId().equals(o.site()))
                    .mapToDouble(ChargerEnergy.EvEnergy::chargeKwh).sum();
            double avoided = Math.min(statusQuo, Math.max(0, gridSold + evCharged - limit));
            out.add("curtailment_delivered,market=" + m + ",feeder=" + tag(site.feeder()) + ",site=" + tag(site.id())
                    + " avoided_kwh=" + num(avoided) + ",status_quo_kwh=" + num(statusQuo) + " " + ts);
        }
        return out;
    }

    private static String poolOf(Solution.Trade t) {
        return "grid".equals(t.channel()) ? "grid:" + t.seller() + ":" + t.buyer() + ":" + t.slot() : t.channel();
    }

    private static String feederOf(Map<String, Site> sites, String site) {
        Site s = sites.get(site);
        return s == null ? "unknown" : s.feeder();
    }

    static String tag(String v) {
        return v.replace("\\", "\\\\").replace(",", "\\,").replace(" ", "\\ ").replace("=", "\\=");
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
