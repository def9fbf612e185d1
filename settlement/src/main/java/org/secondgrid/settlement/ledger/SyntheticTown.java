package org.secondgrid.settlement.ledger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded day of a town for tests and the benchmark, in the matcher's solution format plus meter readings: PV sites
 * sell to nearby buyers through the grid in daylight slots, EVs carry surplus to buyers in the evening; meters
 * mostly match the schedule, some sources and buyers fall short or overshoot (imbalance).
 */
public final class SyntheticTown {

    public static final double ASK = 12.0;
    public static final double GRID_FEE = 8.0;
    public static final double EV_FEE = 6.0;

    public record Day(SolutionFile solution, MeteredDay metered) {
    }

    private SyntheticTown() {
    }

    public static String site(int i) {
        return "site-" + i;
    }

    public static String ev(int i) {
        return "ev-" + i;
    }

    public static Day generate(String market, LocalDate day, int sites, int evs, long seed) {
        return generate(market, day, sites, evs, seed, "");
    }

    /** {@code idPrefix} is put before every site and EV id (towns that must not share participants). */
    public static Day generate(String market, LocalDate day, int sites, int evs, long seed, String idPrefix) {
        if (sites < 4) {
            throw new IllegalArgumentException("sites must be >= 4, was " + sites);
        }
        Random rnd = new Random(seed);
        List<SolutionFile.Trade> trades = new ArrayList<>();
        List<SolutionFile.Payment> payments = new ArrayList<>();
        // every 3rd site has PV surplus; the others buy
        List<Integer> sellers = new ArrayList<>();
        List<Integer> buyers = new ArrayList<>();
        for (int i = 0; i < sites; i++) {
            (i % 3 == 0 ? sellers : buyers).add(i);
        }
        for (int slot = 16; slot <= 34; slot++) {
            for (int si : sellers) {
                if (rnd.nextDouble() > 0.4) {
                    continue;
                }
                int deliveries = 1 + rnd.nextInt(2);
                for (int d = 0; d < deliveries; d++) {
                    int bi = buyers.get(Math.floorMod(si / 3 * 2 + rnd.nextInt(7) - 3, buyers.size()));
                    double kwh = (200 + rnd.nextInt(1_800)) / 1000.0;
                    String s = idPrefix + site(si);
                    String b = idPrefix + site(bi);
                    trades.add(new SolutionFile.Trade(s, b, slot, SolutionFile.GRID, kwh, kwh));
                    String pool = "grid:" + s + ":" + b + ":" + slot;
                    payments.add(new SolutionFile.Payment(pool, b, s, round2(kwh * ASK)));
                    payments.add(new SolutionFile.Payment(pool, b, "grid-operator", round2(kwh * GRID_FEE)));
                }
            }
        }
        for (int e = 0; e < evs; e++) {
            String ev = idPrefix + ev(e);
            int stops = 2 + rnd.nextInt(3);
            for (int k = 0; k < stops; k++) {
                String s = idPrefix + site(sellers.get(rnd.nextInt(sellers.size())));
                String b = idPrefix + site(buyers.get(rnd.nextInt(buyers.size())));
                int slot = 36 + rnd.nextInt(8);
                double delivered = (500 + rnd.nextInt(3_000)) / 1000.0;
                double sold = round3(delivered / (0.95 * 0.95));
                trades.add(new SolutionFile.Trade(s, b, slot, ev, sold, delivered));
                payments.add(new SolutionFile.Payment(ev, b, s, round2(sold * ASK)));
                payments.add(new SolutionFile.Payment(ev, b, ev, round2(delivered * EV_FEE)));
            }
        }
        SolutionFile solution = new SolutionFile(1, market, day, merge(trades), payments);
        // meters: per source and buyer and slot the scheduled Wh, then a deviation for some
        Map<String, Long> sched = new HashMap<>();
        for (SolutionFile.Trade t : solution.trades()) {
            long wh = Math.round(t.kwhDelivered() * 1000);
            sched.merge(MeteredDay.key(t.source(), t.slot()), wh, Long::sum);
            sched.merge(MeteredDay.key(t.buyer(), t.slot()), wh, Long::sum);
        }
        List<MeteredDay.Reading> readings = new ArrayList<>();
        sched.keySet().stream().sorted().forEach(key -> {
            long wh = sched.get(key);
            double r = rnd.nextDouble();
            long metered = r < 0.05 ? Math.round(wh * 0.8) : r < 0.10 ? Math.round(wh * 1.1) : wh;
            int at = key.lastIndexOf('@');
            readings.add(new MeteredDay.Reading(key.substring(0, at), Integer.parseInt(key.substring(at + 1)), metered / 1000.0));
        });
        return new Day(solution, new MeteredDay(market, day, readings));
    }

    /** Two trades of the same seller, buyer, slot and channel are one record (as the matcher emits them). */
    private static List<SolutionFile.Trade> merge(List<SolutionFile.Trade> trades) {
        Map<String, SolutionFile.Trade> m = new java.util.LinkedHashMap<>();
        for (SolutionFile.Trade t : trades) {
            m.merge(t.seller() + "|" + t.buyer() + "|" + t.slot() + "|" + t.channel(), t, (a, b) -> new SolutionFile.Trade(a.seller(),
                    a.buyer(), a.slot(), a.channel(), round3(a.kwhSold() + b.kwhSold()), round3(a.kwhDelivered() + b.kwhDelivered())));
        }
        return new ArrayList<>(m.values());
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
