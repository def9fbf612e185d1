package org.secondgrid.matcher.solver;

import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.countDistinct;
import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.sumLong;

import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import java.util.Locale;

/**
 * The market's rules, one method each. Hard: the model's constraints that EV plans can break (the grid part is
 * cleared exactly and feasibly before the search). Soft: welfare in units of 1e-5 JPY.
 */
public class MarketConstraints implements ConstraintProvider {

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
            // hard
            offerLimit(factory),
            bidLimit(factory),
            portLimit(factory),
            ownerReserve(factory),
            homeInTime(factory),
            tradedEnergyDeliveredSameDay(factory),
            poolSurplusNonNegative(factory),
            // soft
            gridWelfare(factory),
            evDeliveredValue(factory),
            evPurchaseCost(factory),
            evFees(factory)
        };
    }

    private static String kwh(long wh) {
        return String.format(Locale.ROOT, "%.3f kWh", wh / 1000.0);
    }

    private static String jpy(long units) {
        return String.format(Locale.ROOT, "%.2f JPY", MarketIndex.jpy(units));
    }

    /** EVs never take more from a site in a slot than what the grid left of its offer. */
    Constraint offerLimit(ConstraintFactory factory) {
        return factory.forEach(EvRoute.class)
                .flattenLast(EvRoute::actions)
                .filter(EnergyAction::charge)
                .groupBy(EnergyAction::site, EnergyAction::slot, sumLong(EnergyAction::wh))
                .join(ResidualMarket.class)
                .filter((site, slot, wh, market) -> wh > market.offerLeftWh(site, slot))
                .penalizeLong(HardSoftLongScore.ONE_HARD, (site, slot, wh, market) -> wh - market.offerLeftWh(site, slot))
                .justifyWith((site, slot, wh, market, score) -> new Justification(String.format(Locale.ROOT,
                        "EVs would take %s from site %s in slot %d, %s more than it offers",
                        kwh(wh), market.siteId(site), slot, kwh(wh - market.offerLeftWh(site, slot)))))
                .asConstraint("offer limit");
    }

    /** EVs never put more into a site's load in a slot than its bid: no backflow at the buyer. */
    Constraint bidLimit(ConstraintFactory factory) {
        return factory.forEach(EvRoute.class)
                .flattenLast(EvRoute::actions)
                .filter(a -> !a.charge())
                .groupBy(EnergyAction::site, EnergyAction::slot, sumLong(EnergyAction::wh))
                .join(ResidualMarket.class)
                .filter((site, slot, wh, market) -> wh > market.bidLeftWh(site, slot))
                .penalizeLong(HardSoftLongScore.ONE_HARD, (site, slot, wh, market) -> wh - market.bidLeftWh(site, slot))
                .justifyWith((site, slot, wh, market, score) -> new Justification(String.format(Locale.ROOT,
                        "EVs would deliver %s into site %s in slot %d, %s more than its load (backflow)",
                        kwh(wh), market.siteId(site), slot, kwh(wh - market.bidLeftWh(site, slot)))))
                .asConstraint("bid limit");
    }

    /** At most {@code ports} EVs charge or discharge at one site in one slot. */
    Constraint portLimit(ConstraintFactory factory) {
        return factory.forEach(EvRoute.class)
                .flattenLast(EvRoute::actions)
                .groupBy(EnergyAction::site, EnergyAction::slot, countDistinct(EnergyAction::evIndex))
                .join(ResidualMarket.class)
                .filter((site, slot, evs, market) -> evs > market.ports(site))
                .penalizeLong(HardSoftLongScore.ONE_HARD,
                        (site, slot, evs, market) -> 1000L * (evs - market.ports(site)))
                .justifyWith((site, slot, evs, market, score) -> new Justification(String.format(Locale.ROOT,
                        "%d EVs would be plugged in at site %s in slot %d, which has %d ports",
                        evs, market.siteId(site), slot, market.ports(site))))
                .asConstraint("port limit");
    }

    /** The owner's own energy never drops below their reserve (driving is paid with it). */
    Constraint ownerReserve(ConstraintFactory factory) {
        return factory.forEach(EvRoute.class)
                .filter(r -> r.plan().reserveDeficitWh() > 0)
                .penalizeLong(HardSoftLongScore.ONE_HARD, r -> r.plan().reserveDeficitWh())
                .justifyWith((r, score) -> new Justification(String.format(Locale.ROOT,
                        "EV %s would leave %s less than its owner's reserve", r.getId(),
                        kwh(r.plan().reserveDeficitWh()))))
                .asConstraint("owner reserve");
    }

    /** Each EV is back home by availableTo. */
    Constraint homeInTime(ConstraintFactory factory) {
        return factory.forEach(EvRoute.class)
                .filter(r -> r.plan().lateSlots() > 0)
                .penalizeLong(HardSoftLongScore.ONE_HARD, r -> 1000L * r.plan().lateSlots())
                .justifyWith((r, score) -> new Justification(String.format(Locale.ROOT,
                        "EV %s would be home %d slot(s) after slot %d, when its owner needs it", r.getId(),
                        r.plan().lateSlots(), r.getEv().ev().availableTo())))
                .asConstraint("home in time");
    }

    /** Everything an EV takes from sellers is delivered the same day. */
    Constraint tradedEnergyDeliveredSameDay(ConstraintFactory factory) {
        return factory.forEach(EvRoute.class)
                .filter(r -> r.plan().undeliveredWh() > 0)
                .penalizeLong(HardSoftLongScore.ONE_HARD, r -> r.plan().undeliveredWh())
                .justifyWith((r, score) -> new Justification(String.format(Locale.ROOT,
                        "EV %s would end the day with %s of sellers' energy undelivered", r.getId(),
                        kwh(r.plan().undeliveredWh()))))
                .asConstraint("traded energy delivered same day");
    }

    /** An EV's pool never loses money: value ≥ sellers' asks + fees (individual rationality). */
    Constraint poolSurplusNonNegative(ConstraintFactory factory) {
        return factory.forEach(EvRoute.class)
                .filter(r -> r.plan().surplusUnits() < 0)
                .penalizeLong(HardSoftLongScore.ONE_HARD, r -> Math.ceilDiv(-r.plan().surplusUnits(), 1000L))
                .justifyWith((r, score) -> new Justification(String.format(Locale.ROOT,
                        "EV %s's pool would lose %s: its buyers' bids do not cover asks and fees", r.getId(),
                        jpy(-r.plan().surplusUnits()))))
                .asConstraint("pool surplus non-negative");
    }

    /** Welfare of the grid deliveries (cleared exactly before the EV search). */
    Constraint gridWelfare(ConstraintFactory factory) {
        return factory.forEach(ResidualMarket.class)
                .filter(market -> market.gridWelfareUnits() != 0)
                .rewardLong(HardSoftLongScore.ONE_SOFT, ResidualMarket::gridWelfareUnits)
                .justifyWith((market, score) -> new Justification("grid deliveries are worth "
                        + jpy(market.gridWelfareUnits())))
                .asConstraint("grid welfare");
    }

    /** What buyers value the energy EVs deliver at (their bids). */
    Constraint evDeliveredValue(ConstraintFactory factory) {
        return factory.forEach(EvRoute.class)
                .filter(r -> r.plan().valueUnits() > 0)
                .rewardLong(HardSoftLongScore.ONE_SOFT, r -> r.plan().valueUnits())
                .justifyWith((r, score) -> new Justification(String.format(Locale.ROOT,
                        "EV %s delivers %s worth %s to buyers", r.getId(), kwh(r.plan().dischargedWh()),
                        jpy(r.plan().valueUnits()))))
                .asConstraint("EV delivered value");
    }

    /** What sellers ask for the energy EVs take (their asks). */
    Constraint evPurchaseCost(ConstraintFactory factory) {
        return factory.forEach(EvRoute.class)
                .filter(r -> r.plan().costUnits() > 0)
                .penalizeLong(HardSoftLongScore.ONE_SOFT, r -> r.plan().costUnits())
                .justifyWith((r, score) -> new Justification(String.format(Locale.ROOT,
                        "EV %s takes %s costing %s at sellers' asks", r.getId(), kwh(r.plan().chargedWh()),
                        jpy(r.plan().costUnits()))))
                .asConstraint("EV purchase cost");
    }

    /** The EV owner's fees: per kWh delivered and per km driven. */
    Constraint evFees(ConstraintFactory factory) {
        return factory.forEach(EvRoute.class)
                .filter(r -> r.plan().feeUnits() > 0)
                .penalizeLong(HardSoftLongScore.ONE_SOFT, r -> r.plan().feeUnits())
                .justifyWith((r, score) -> new Justification(String.format(Locale.ROOT,
                        "EV %s's owner is paid %s for %.1f km and %s delivered", r.getId(),
                        jpy(r.plan().feeUnits()), r.plan().km(), kwh(r.plan().dischargedWh()))))
                .asConstraint("EV fees");
    }

    /** A readable reason for a score impact. */
    public record Justification(String description)
            implements ai.timefold.solver.core.api.score.stream.ConstraintJustification {
        @Override
        public String toString() {
            return description;
        }
    }
}
