package org.secondgrid.simulator.bench;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.secondgrid.gateway.forecast.DayHistory;
import org.secondgrid.gateway.forecast.SiteForecast;
import org.secondgrid.gateway.forecast.SiteForecaster;
import org.secondgrid.matcher.generate.DayKind;
import org.secondgrid.matcher.generate.LoadProfiles;
import org.secondgrid.simulator.physics.MeterCounters;
import org.secondgrid.simulator.physics.SetpointBook;
import org.secondgrid.simulator.physics.TownPhysics;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownJson;
import org.secondgrid.simulator.town.TownSite;
import org.secondgrid.simulator.weather.Weather;
import org.secondgrid.simulator.weather.WeatherForecast;

/**
 * {@code ./secondgrid bench forecast [--town aizu-demo] [--seed N] [--end YYYY-MM-DD] [--weeks 8] [--eval-days 14]}:
 * simulates the town's meters for the weeks before {@code end} (the simulator's physics, in process: the bench
 * measures the forecaster, not the transport), then forecasts each of the last {@code eval-days} days of every site
 * with market-core's {@link SiteForecaster} (history before that day + the day-ahead weather forecast the
 * simulator's weather service published) and with persistence (same slot yesterday), and prints nMAE of PV, load and
 * net surplus: Σ|forecast − actual| / Σ|actual| over sites, slots and days.
 */
public final class ForecastBench {

    /** Summed absolute errors and actuals of one method. */
    static final class Err {
        double pv;
        double load;
        double surplus;

        void add(SiteForecast f, DayHistory a) {
            for (int t = 0; t < a.slots(); t++) {
                pv += Math.abs(f.pvWh()[t] - a.pvWh()[t]);
                load += Math.abs(f.loadWh()[t] - a.loadWh()[t]);
                surplus += Math.abs(f.surplusWh()[t] - (a.pvWh()[t] - a.loadWh()[t]));
            }
        }
    }

    /** Figures of one run. */
    public record Result(double pvModel, double loadModel, double surplusModel, double pvPersistence,
                         double loadPersistence, double surplusPersistence, double pvPotentialModel,
                         double surplusPotentialModel, double pvPotentialPersistence, double surplusPotentialPersistence,
                         int sites, int evalDays, int historyDays, boolean perfectWeather) {
    }

    private ForecastBench() {
    }

    public static void main(String[] args) {
        Map<String, String> o = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Town town = TownJson.load(o.getOrDefault("town", "aizu-demo"));
        if (o.containsKey("seed")) {
            town = new Town(town.market(), town.timeZone(), town.lat(), town.lon(), Long.parseLong(o.get("seed")),
                    town.slotMinutes(), town.feeders(), town.sites(), town.evs());
        }
        LocalDate end = LocalDate.parse(o.getOrDefault("end", "2026-12-06"));
        int weeks = Integer.parseInt(o.getOrDefault("weeks", "8"));
        int evalDays = Integer.parseInt(o.getOrDefault("eval-days", "14"));
        long t0 = System.nanoTime();
        boolean perfect = Boolean.parseBoolean(o.getOrDefault("perfect-weather", "false"));
        Result r = run(town, end, weeks * 7, evalDays, perfect);
        print(r, town, end, weeks * 7, evalDays, (System.nanoTime() - t0) / 1e9, System.out);
    }

    /** Simulates {@code days} days ending with {@code end} and scores the last {@code evalDays} of them. */
    public static Result run(Town town, LocalDate end, int days, int evalDays, boolean perfectWeather) {
        LocalDate first = end.minusDays(days - 1);
        Weather weather = new Weather(town.seed(), town.zone(), town.lat(), town.lon(), 5);
        WeatherForecast service = new WeatherForecast(weather, town.seed());
        TownPhysics physics = new TownPhysics(town, weather, new LoadProfiles(), new SetpointBook());
        int n = town.sites().size();
        int slots = town.slotsPerDay();
        List<List<DayHistory>> history = new ArrayList<>();
        List<List<DayHistory>> potentials = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            history.add(new ArrayList<>());
            potentials.add(new ArrayList<>());
        }
        for (LocalDate d = first; !d.isAfter(end); d = d.plusDays(1)) {
            double[] index = perfectWeather ? weather.slotIndex(d, town.slotMinutes()) : service.forDay(d, town.slotMinutes());
            double[][] imp = new double[n][slots];
            double[][] exp = new double[n][slots];
            double[][] pv = new double[n][slots];
            double[][] potential = new double[n][slots];
            for (int tick = 0; tick < weather.ticksPerDay(); tick++) {
                int slot = tick / physics.ticksPerSlot();
                Instant slotStart = d.atStartOfDay(town.zone()).toInstant().plusSeconds(slot * 60L * town.slotMinutes());
                MeterCounters[] before = new MeterCounters[n];
                for (int i = 0; i < n; i++) {
                    before[i] = physics.meter(i);
                }
                physics.step(d, tick, slotStart);
                for (int i = 0; i < n; i++) {
                    MeterCounters delta = physics.meter(i).minus(before[i]);
                    imp[i][slot] += delta.importWh();
                    exp[i][slot] += delta.exportWh();
                    pv[i][slot] += delta.pvWh();
                    potential[i][slot] += physics.lastFlows()[i].pvAvailKw() * weather.tickMinutes() / 60.0 * 1000;
                }
            }
            for (int i = 0; i < n; i++) {
                history.get(i).add(DayHistory.fromMeter(d, imp[i], exp[i], pv[i], index));
                DayHistory m = history.get(i).getLast();
                potentials.get(i).add(new DayHistory(d, potential[i], m.loadWh(), index));
            }
        }
        Err model = new Err();
        Err persistence = new Err();
        Err actual = new Err();
        Err modelPot = new Err();
        Err persistencePot = new Err();
        Err actualPot = new Err();
        SiteForecast zero = SiteForecast.of(end, new double[slots], new double[slots]);
        double[] limitWh = new double[n];
        for (int i = 0; i < n; i++) {
            limitWh[i] = town.sites().get(i).exportLimitKw() * town.slotMinutes() / 60.0 * 1000;
        }
        for (int i = 0; i < n; i++) {
            List<DayHistory> h = history.get(i);
            for (int k = days - evalDays; k < days; k++) {
                DayHistory a = h.get(k);
                List<DayHistory> past = h.subList(0, k);
                // against the meter: the forecast as the meter will count it (PV above load + export limit curtailed)
                model.add(SiteForecaster.forecast(past, a.day(), a.irradianceIndex(), slots).metered(limitWh[i]), a);
                persistence.add(SiteForecaster.persistence(past, a.day(), slots), a);
                actual.add(zero, a);
                DayHistory p = potentials.get(i).get(k);
                modelPot.add(SiteForecaster.forecast(past, a.day(), a.irradianceIndex(), slots), p);
                persistencePot.add(SiteForecaster.persistence(past, a.day(), slots), p);
                actualPot.add(zero, p);
            }
        }
        return new Result(model.pv / actual.pv, model.load / actual.load, model.surplus / actual.surplus,
                persistence.pv / actual.pv, persistence.load / actual.load, persistence.surplus / actual.surplus,
                modelPot.pv / actualPot.pv, modelPot.surplus / actualPot.surplus, persistencePot.pv / actualPot.pv,
                persistencePot.surplus / actualPot.surplus, n, evalDays, days - evalDays, perfectWeather);
    }

    static void print(Result r, Town town, LocalDate end, int days, int evalDays, double seconds, PrintStream out) {
        LocalDate evalFrom = end.minusDays(evalDays - 1);
        StringBuilder kinds = new StringBuilder();
        for (LocalDate d = end.minusDays(days - 1); !d.isAfter(end); d = d.plusDays(1)) {
            if (DayKind.isHoliday(d)) {
                kinds.append(kinds.isEmpty() ? "" : ", ").append(d);
            }
        }
        out.printf(Locale.ROOT, "bench forecast: town %s (%d sites, seed %d), history %s..%s (%d days, holidays: %s),"
                        + " forecast each of %s..%s%n", town.market(), r.sites(), town.seed(), end.minusDays(days - 1),
                evalFrom.minusDays(1), r.historyDays(), kinds, evalFrom, end);
        out.printf(Locale.ROOT, "weather feed: %s%n", r.perfectWeather() ? "PERFECT (the actual clear-sky index, diagnostic)"
                : "the simulator's day-ahead forecast (realistic error)");
        out.printf(Locale.ROOT, "against metered actuals (meter pvWh, load = import - export + pv); the forecast as the meter"
                + " will count it (PV above load + export limit curtailed):%n");
        out.printf(Locale.ROOT, "%-10s %12s %12s %12s%n", "nMAE", "forecaster", "persistence", "improvement");
        row(out, "PV", r.pvModel(), r.pvPersistence());
        row(out, "load", r.loadModel(), r.loadPersistence());
        row(out, "surplus", r.surplusModel(), r.surplusPersistence());
        out.printf(Locale.ROOT, "against the PV the panels could give (before no-backflow curtailment; what the market can sell):%n");
        row(out, "PV", r.pvPotentialModel(), r.pvPotentialPersistence());
        row(out, "surplus", r.surplusPotentialModel(), r.surplusPotentialPersistence());
        out.printf(Locale.ROOT, "goal: >= 20%% lower error than persistence; nMAE = sum|forecast - actual| / sum|actual|"
                + " over sites x slots x days; %.1f s%n", seconds);
    }

    private static void row(PrintStream out, String what, double model, double persistence) {
        out.printf(Locale.ROOT, "%-10s %11.1f%% %11.1f%% %11.1f%%  %s%n", what, 100 * model, 100 * persistence,
                100 * (1 - model / persistence), 1 - model / persistence >= 0.2 ? "met" : "NOT met");
    }
}
