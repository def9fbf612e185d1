package org.secondgrid.simulator.town;

/**
 * What town to generate. The same spec always gives the same town.
 *
 * @param houses      households
 * @param pvShare     share of households with 3–6 kWp rooftop PV
 * @param factories   factories with 300–1,000 kWp PV on no-backflow connections and a weekday (G1) load
 * @param shops       shops with V2B chargers
 * @param evs         EVs (20/40/62 kWh), homed at distinct households while there are enough
 * @param feeders     feeders (no spare reverse capacity)
 * @param manualShare share of PV households that enter orders by hand instead of the auto policy
 */
public record TownSpec(String market, long seed, int houses, double pvShare, int factories, int shops, int evs,
                       int feeders, double manualShare) {

    public static final String AIZU_DEMO = "aizu-demo";
    public static final long AIZU_DEMO_SEED = 7;

    public TownSpec {
        Town.require(market != null && !market.isBlank(), "market", market);
        Town.require(houses >= 0 && factories >= 0 && shops >= 0 && houses + factories + shops > 0, "houses/factories/shops",
                houses + "/" + factories + "/" + shops);
        Town.require(pvShare >= 0 && pvShare <= 1, "pvShare", pvShare);
        Town.require(evs >= 0 && (evs == 0 || houses > 0), "evs", evs);
        Town.require(feeders >= 1, "feeders", feeders);
        Town.require(manualShare >= 0 && manualShare <= 1, "manualShare", manualShare);
    }

    /** The default demo town: ~200 households (40 % PV), 5 factories, 10 shops, 30 EVs, 3 feeders. */
    public static TownSpec aizuDemo() {
        return new TownSpec(AIZU_DEMO, AIZU_DEMO_SEED, 200, 0.4, 5, 10, 30, 3, 0.1);
    }

    /** A small town for tests: a factory, a shop, a few houses and EVs, one feeder. */
    public static TownSpec small(long seed) {
        return new TownSpec("sim-small", seed, 6, 0.5, 1, 1, 2, 1, 0.0);
    }
}
