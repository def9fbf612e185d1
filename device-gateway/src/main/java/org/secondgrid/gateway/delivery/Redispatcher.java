package org.secondgrid.gateway.delivery;

import java.util.ArrayList;
import java.util.List;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Site;

/**
 * Re-dispatches what an EV did not do in a closed slot, over the slots that have not started yet.
 * Pure: it changes only the {@link DispatchPlan}'s current dispatch (never the final schedule).
 * <ul>
 *   <li>A shortfall is the dispatched kWh minus the kWh measured at the site's chargers for that EV,
 *       when above {@code max(10 Wh, 5 %)} of the dispatch; the closed slot is set to what was measured.</li>
 *   <li><b>Charge short</b> (no-show or partial at a seller): (1) the same EV charges it in the later slots
 *       of the same stay, within its and the charger's power, the seller's offer not yet sold, a free
 *       port and the battery capacity; (2) another EV that is at the same seller later and at the
 *       no-show's buyer in the slot of its delivery takes that delivery over (charging what it needs
 *       there); (3) what is left cannot be delivered: the no-show's later discharges are reduced by it
 *       (× η_c·η_d), latest first; those buyers' deficits go to the backup retailer when their slots close.</li>
 *   <li><b>Discharge short</b> (no-show or partial at a buyer; the EV still carries the energy): (1) the
 *       same EV delivers it in its later slots at a site with bid room (its bid minus its scheduled grid
 *       purchase and EV deliveries), within power, ports and the EV's availability; (2) what is left
 *       is recorded as undelivered (the slot's deficit is the retailer's).</li>
 * </ul>
 */
public final class Redispatcher {

    /** One re-dispatch decision: {@code kwh} moved to {@code toEv} in {@code toSlot} at {@code site}, or dropped. */
    public record Redispatch(int detectedSlot, String ev, String rule, String site, String toEv, Integer toSlot,
                             double kwh) {
        public static final String SAME_EV_LATER = "same-ev-later";
        public static final String OTHER_EV = "other-ev";
        public static final String REDUCED_DELIVERY = "reduced-delivery";
        public static final String UNDELIVERED = "undelivered";
    }

    private final DispatchPlan plan;
    private final MarketPositions market;
    private final double hours;

    public Redispatcher(DispatchPlan plan, MarketPositions market) {
        this.plan = plan;
        this.market = market;
        this.hours = plan.instance().slotHours();
    }

    /** Shortfall threshold for a dispatched |kWh|. */
    static double threshold(double planned) {
        return Math.max(0.01, 0.05 * planned);
    }

    /** Compares the closed slot's dispatch with what chargers measured and re-dispatches the shortfalls. */
    public List<Redispatch> afterSlot(int slot, List<ChargerEnergy.EvEnergy> measured) {
        List<Redispatch> out = new ArrayList<>();
        for (DispatchPlan.Action a : plan.actionsAt(slot)) {
            double got = measured.stream().filter(e -> e.ev().equals(a.ev()) && e.siteId().equals(a.site()))
                    .mapToDouble(e -> a.kwh() > 0 ? e.chargeKwh() : e.dischargeKwh()).sum();
            double planned = Math.abs(a.kwh());
            double short_ = planned - got;
            if (short_ <= threshold(planned)) {
                continue;
            }
            plan.set(a.ev(), a.site(), slot, Math.signum(a.kwh()) * got);
            if (a.kwh() > 0) {
                chargeShort(a, short_, out);
            } else {
                dischargeShort(a, short_, out);
            }
        }
        return out;
    }

    private void chargeShort(DispatchPlan.Action a, double kwh, List<Redispatch> out) {
        Ev ev = plan.ev(a.ev());
        Site site = plan.site(a.site());
        double left = kwh;
        DispatchPlan.Stay stay = plan.stayAt(a.ev(), a.slot()).orElse(null);
        if (stay != null) {
            for (int t = a.slot() + 1; t <= stay.depart() && t < ev.availableTo() && left > ImbalanceRules.TOLERANCE_KWH; t++) {
                double x = Math.min(left, chargeRoom(ev, site, t));
                if (x > ImbalanceRules.TOLERANCE_KWH) {
                    plan.set(ev.id(), site.id(), t, plan.action(ev.id(), t).map(DispatchPlan.Action::kwh).orElse(0.0) + x);
                    out.add(new Redispatch(a.slot(), ev.id(), Redispatch.SAME_EV_LATER, site.id(), ev.id(), t, r3(x)));
                    left -= x;
                }
            }
        }
        if (left <= ImbalanceRules.TOLERANCE_KWH) {
            return;
        }
        // what the no-show can no longer deliver, at its buyers
        double undeliverable = left * ev.chargeEfficiency() * ev.dischargeEfficiency();
        List<DispatchPlan.Action> downstream = plan.actionsAfter(ev.id(), a.slot()).stream().filter(d -> d.kwh() < 0).toList();
        for (DispatchPlan.Action d : downstream) {
            if (undeliverable <= ImbalanceRules.TOLERANCE_KWH) {
                break;
            }
            for (String other : plan.scheduledEvs()) {
                if (other.equals(ev.id()) || undeliverable <= ImbalanceRules.TOLERANCE_KWH) {
                    continue;
                }
                double stillPlanned = -plan.action(ev.id(), d.slot()).map(DispatchPlan.Action::kwh).orElse(0.0);
                double taken = takeOver(other, site, a.slot(), d, Math.min(undeliverable, stillPlanned));
                if (taken > ImbalanceRules.TOLERANCE_KWH) {
                    DispatchPlan.Action cur = plan.action(ev.id(), d.slot()).orElseThrow();
                    plan.set(ev.id(), d.site(), d.slot(), cur.kwh() + taken);
                    out.add(new Redispatch(a.slot(), ev.id(), Redispatch.OTHER_EV, d.site(), other, d.slot(), r3(taken)));
                    undeliverable -= taken;
                }
            }
        }
        List<DispatchPlan.Action> reversed = new ArrayList<>(plan.actionsAfter(ev.id(), a.slot()).stream()
                .filter(d -> d.kwh() < 0).toList());
        java.util.Collections.reverse(reversed);
        for (DispatchPlan.Action d : reversed) {
            if (undeliverable <= ImbalanceRules.TOLERANCE_KWH) {
                break;
            }
            double cut = Math.min(undeliverable, -d.kwh());
            plan.set(ev.id(), d.site(), d.slot(), d.kwh() + cut);
            out.add(new Redispatch(a.slot(), ev.id(), Redispatch.REDUCED_DELIVERY, d.site(), null, d.slot(), r3(cut)));
            undeliverable -= cut;
        }
    }

    /**
     * Another EV {@code other} takes over up to {@code need} kWh of the no-show's delivery {@code d}: it must
     * be at the seller after {@code closedSlot} (before {@code d}'s slot) with charge room, and at {@code d}'s
     * buyer in {@code d}'s slot with discharge room. Returns the kWh it will deliver.
     */
    private double takeOver(String otherId, Site seller, int closedSlot, DispatchPlan.Action d, double need) {
        Ev w = plan.ev(otherId);
        Site buyer = plan.site(d.site());
        if (plan.stayAt(otherId, d.slot()).filter(s -> s.site().equals(d.site())).isEmpty()
                || d.slot() >= w.availableTo()) {
            return 0;
        }
        double curAtBuyer = plan.action(otherId, d.slot()).map(DispatchPlan.Action::kwh).orElse(0.0);
        if (curAtBuyer > 0) {
            return 0;
        }
        if (curAtBuyer == 0 && plan.busyPortsAt(buyer.id(), d.slot()) >= buyer.ports()) {
            return 0;
        }
        double dischargeRoom = Math.min(w.dischargeKw(), buyer.v2xKw()) * hours + curAtBuyer;
        double eta = w.chargeEfficiency() * w.dischargeEfficiency();
        double want = Math.min(need, dischargeRoom);
        if (want <= ImbalanceRules.TOLERANCE_KWH) {
            return 0;
        }
        // charge want/eta at the seller in slots (closedSlot, d.slot) where w stays there
        double chargeNeed = want / eta;
        double charged = 0;
        for (int t = closedSlot + 1; t < d.slot() && chargeNeed > ImbalanceRules.TOLERANCE_KWH; t++) {
            int slot = t;
            if (plan.stayAt(otherId, t).filter(s -> s.site().equals(seller.id())).isEmpty() || t < w.availableFrom()) {
                continue;
            }
            double x = Math.min(chargeNeed, chargeRoom(w, seller, slot));
            if (x > ImbalanceRules.TOLERANCE_KWH) {
                charged += x;
                chargeNeed -= x;
                plan.set(otherId, seller.id(), slot, plan.action(otherId, slot).map(DispatchPlan.Action::kwh).orElse(0.0) + x);
            }
        }
        double delivered = Math.min(want, charged * eta);
        if (delivered <= ImbalanceRules.TOLERANCE_KWH) {
            return 0;
        }
        plan.set(otherId, buyer.id(), d.slot(), curAtBuyer - delivered);
        return delivered;
    }

    /** kWh the EV may still charge at the site in slot t: power, unsold offer, port and battery room. */
    private double chargeRoom(Ev ev, Site site, int t) {
        double cur = plan.action(ev.id(), t).map(DispatchPlan.Action::kwh).orElse(0.0);
        if (cur < 0 || plan.stayAt(ev.id(), t).filter(s -> s.site().equals(site.id())).isEmpty()) {
            return 0;
        }
        if (cur == 0 && plan.busyPortsAt(site.id(), t) >= site.ports()) {
            return 0;
        }
        double power = Math.min(ev.chargeKw(), site.chargerKw()) * hours - cur;
        double offer = market.offerKwh(site.id(), t) - market.gridSold(site.id(), t) - plan.chargeAt(site.id(), t);
        double battery = (ev.capacityKwh() - plan.maxSocUpperBound(ev.id(), t)) / ev.chargeEfficiency();
        return Math.max(0, Math.min(power, Math.min(offer, battery)));
    }

    private void dischargeShort(DispatchPlan.Action a, double kwh, List<Redispatch> out) {
        Ev ev = plan.ev(a.ev());
        double left = kwh;
        for (int t = a.slot() + 1; t < ev.availableTo() && left > ImbalanceRules.TOLERANCE_KWH; t++) {
            int slot = t;
            DispatchPlan.Stay stay = plan.stayAt(ev.id(), t).orElse(null);
            if (stay == null) {
                continue;
            }
            Site site = plan.site(stay.site());
            double cur = plan.action(ev.id(), slot).map(DispatchPlan.Action::kwh).orElse(0.0);
            if (cur > 0 || (cur == 0 && plan.busyPortsAt(site.id(), slot) >= site.ports())) {
                continue;
            }
            double power = Math.min(ev.dischargeKw(), site.v2xKw()) * hours + cur;
            double bidRoom = market.bidKwh(site.id(), slot) - market.gridBought(site.id(), slot)
                    - plan.dischargeAt(site.id(), slot);
            double x = Math.min(left, Math.min(power, bidRoom));
            if (x > ImbalanceRules.TOLERANCE_KWH) {
                plan.set(ev.id(), site.id(), slot, cur - x);
                out.add(new Redispatch(a.slot(), ev.id(), Redispatch.SAME_EV_LATER, site.id(), ev.id(), slot, r3(x)));
                left -= x;
            }
        }
        if (left > ImbalanceRules.TOLERANCE_KWH) {
            out.add(new Redispatch(a.slot(), ev.id(), Redispatch.UNDELIVERED, a.site(), null, null, r3(left)));
        }
    }

    private static double r3(double v) {
        return ImbalanceRules.r3(v);
    }
}
