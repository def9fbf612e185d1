package org.secondgrid.simulator.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.secondgrid.matcher.generate.LoadProfiles;
import org.secondgrid.simulator.device.DeviceMessage;
import org.secondgrid.simulator.device.Payloads;
import org.secondgrid.simulator.device.SimDevice;
import org.secondgrid.simulator.device.Telemetry;
import org.secondgrid.simulator.physics.MeterCounters;
import org.secondgrid.simulator.physics.SetpointBook;
import org.secondgrid.simulator.physics.TownPhysics;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownEv;
import org.secondgrid.simulator.town.TownSite;
import org.secondgrid.simulator.weather.Weather;
import org.secondgrid.simulator.weather.WeatherForecast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running town: steps the physics tick by tick from a start instant and sends every device's telemetry for
 * each tick (meters, chargers, EVs; the weather provider's day-ahead forecast at {@link SimConfig#forecastAt} on
 * D−1), and calls the people at their times of day. {@link #advanceTo(Instant)} runs as fast as the telemetry
 * goes (tests, warm-up); {@link #start(Clock)} follows a (scaled) clock in a thread until {@link #stop()}.
 */
public final class SimulationRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulationRun.class);

    /** What people do at their times of day; the simulator calls these with the delivery day D. */
    public interface People {
        /** D−1 at {@link SimConfig#ordersAt}: availability and manual orders for D. */
        default void beforeGate(LocalDate day) {
        }

        /** D−1 at {@link SimConfig#jobsAt}: answer job offers for D. */
        default void answerJobs(LocalDate day) {
        }

        /** D−1 at {@link SimConfig#finalAt}: load the final accepted itineraries for D into the EVs. */
        default void finalPlans(LocalDate day) {
        }
    }

    public static final String WEATHER_PROVIDER = "weather-sim";

    private final Town town;
    private final SimConfig config;
    private Telemetry telemetry;
    /** Publish every n-th tick, meters only, people idle: history warm-up. */
    private int publishEvery = 1;
    private boolean warmingUp;
    private long tickCount;
    /** Called with each tick's start (before people act) and end (before its messages are sent); e.g. a shared clock's jumpTo. */
    private volatile java.util.function.Consumer<Instant> clockFollower = t -> { };
    private boolean begun;
    private final Map<LocalDate, Double> curtailedAtDayStart = new HashMap<>();
    private final TownPhysics physics;
    private final WeatherForecast forecast;
    private final People people;
    private final ZoneId zone;
    private final Duration tick;
    private final boolean publishWeather;
    private Instant now;
    private final MeterCounters[] lastPublished;
    /** Per site: slot start → energy metered in that slot (from the published counters). */
    private final List<Map<Instant, MeterCounters>> ledger = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;
    private volatile RuntimeException failure;
    private long messages;

    public SimulationRun(Town town, SimConfig config, Telemetry telemetry, SetpointBook setpoints, People people,
                         Instant start, boolean publishWeather) {
        this.town = town;
        this.config = config;
        this.telemetry = telemetry;
        this.people = people == null ? new People() { } : people;
        this.zone = town.zone();
        this.tick = Duration.ofMinutes(config.tickMinutes());
        this.publishWeather = publishWeather;
        Weather weather = new Weather(town.seed(), zone, town.lat(), town.lon(), config.tickMinutes());
        this.physics = new TownPhysics(town, weather, new LoadProfiles(), setpoints);
        this.forecast = new WeatherForecast(weather, town.seed());
        long tickSec = tick.toSeconds();
        this.now = Instant.ofEpochSecond(Math.floorDiv(start.getEpochSecond(), tickSec) * tickSec);
        this.lastPublished = new MeterCounters[town.sites().size()];
        for (int i = 0; i < lastPublished.length; i++) {
            lastPublished[i] = MeterCounters.ZERO;
            ledger.add(new TreeMap<>());
        }
    }

    /** Every device the town needs registered (meters, chargers, EVs, and the weather provider). */
    public static List<SimDevice> devices(Town town) {
        List<SimDevice> out = new ArrayList<>();
        for (TownSite s : town.sites()) {
            out.add(new SimDevice(s.meterId(), town.market(), "meters", s.id(), Math.max(10, s.pvKwp()), null));
            for (String c : s.chargerIds()) {
                out.add(new SimDevice(c, town.market(), "chargers", s.id(), Math.max(s.chargerKw(), s.v2xKw()), null));
            }
        }
        for (TownEv ev : town.evs()) {
            out.add(new SimDevice(ev.id(), town.market(), "evs", ev.home(), ev.chargeKw(), ev.capacityKwh()));
        }
        out.add(new SimDevice(WEATHER_PROVIDER, town.market(), "weather", town.market(), 0, null));
        return out;
    }

    public Town town() {
        return town;
    }

    public TownPhysics physics() {
        return physics;
    }

    public WeatherForecast forecast() {
        return forecast;
    }

    public synchronized Instant now() {
        return now;
    }

    public synchronized long messages() {
        return messages;
    }

    /** The energy each site's meter counted per slot, from what it published. */
    public synchronized Map<Instant, MeterCounters> metered(String siteId) {
        return new TreeMap<>(ledger.get(physics.siteIndex(siteId)));
    }

    /** Lets a shared simulated clock follow the ticks ({@code ScaledClock::jumpTo}) when the run goes faster than it. */
    public void followClock(java.util.function.Consumer<Instant> follower) {
        this.clockFollower = follower;
    }

    /** Sends the first readings (counters as they are) at the start instant. */
    public synchronized void begin() {
        if (!begun) {
            begun = true;
            telemetry.send(messages(now, null));
        }
    }

    /** Steps and publishes every tick that ends at or before {@code until}. */
    public synchronized void advanceTo(Instant until) {
        while (!now.plus(tick).isAfter(until)) {
            Instant tickStart = now;
            Instant tickEnd = now.plus(tick);
            ZonedDateTime local = tickStart.atZone(zone);
            clockFollower.accept(tickStart);
            if (local.getHour() == 0 && local.getMinute() == 0) {
                double c = 0;
                for (int i = 0; i < town.sites().size(); i++) {
                    c += physics.curtailedWh(i);
                }
                curtailedAtDayStart.put(local.toLocalDate(), c);
            }
            hooks(local);
            LocalDate day = local.toLocalDate();
            int tickOfDay = (local.getHour() * 60 + local.getMinute()) / config.tickMinutes();
            Instant slotStart = local.withMinute(local.getMinute() / town.slotMinutes() * town.slotMinutes())
                    .withSecond(0).withNano(0).toInstant();
            physics.step(day, tickOfDay, slotStart);
            now = tickEnd;
            tickCount++;
            if (tickCount % publishEvery != 0) {
                continue;
            }
            clockFollower.accept(tickEnd);
            List<DeviceMessage> batch = messages(tickEnd, tickStart);
            for (int i = 0; i < lastPublished.length; i++) {
                MeterCounters m = rounded(physics.meter(i));
                MeterCounters delta = m.minus(lastPublished[i]);
                ledger.get(i).merge(slotStart, delta, (a, b) -> a.plus(b.importWh(), b.exportWh(), b.pvWh()));
                lastPublished[i] = m;
            }
            telemetry.send(batch);
        }
    }

    private static MeterCounters rounded(MeterCounters m) {
        return new MeterCounters(Payloads.wh(m.importWh()), Payloads.wh(m.exportWh()), Payloads.wh(m.pvWh()));
    }

    private void hooks(ZonedDateTime local) {
        LocalTime t = local.toLocalTime();
        LocalTime end = t.plus(tick);
        LocalDate tomorrow = local.toLocalDate().plusDays(1);
        if (crosses(config.forecastAt(), t, end) && publishWeather) {
            publishForecast(tomorrow, local.toLocalDate().atTime(config.forecastAt()).atZone(zone).toInstant());
        }
        if (warmingUp) {
            return;
        }
        if (crosses(config.ordersAt(), t, end)) {
            people.beforeGate(tomorrow);
        }
        if (crosses(config.jobsAt(), t, end)) {
            people.answerJobs(tomorrow);
        }
        if (crosses(config.finalAt(), t, end)) {
            people.finalPlans(tomorrow);
        }
    }

    /** The weather provider publishes its day-ahead forecast for {@code day}, stamped {@code ts}; returns the index. */
    public synchronized double[] publishForecast(LocalDate day, Instant ts) {
        double[] idx = forecast.forDay(day, town.slotMinutes());
        telemetry.send(List.of(new DeviceMessage(WEATHER_PROVIDER,
                "secondgrid/" + town.market() + "/weather/" + WEATHER_PROVIDER + "/forecast",
                Payloads.weatherForecast(ts, zone, day, town.slotMinutes(), idx))));
        messages++;
        return idx;
    }

    private static boolean crosses(LocalTime at, LocalTime from, LocalTime to) {
        return !at.isBefore(from) && (at.isBefore(to) || to.equals(LocalTime.MIDNIGHT) || to.isBefore(from));
    }

    /**
     * Meters (cumulative counters) and EVs (state of charge, position) report at the tick's end; chargers report at
     * its start what they deliver during it (a status is a snapshot: the power holds from its timestamp until the
     * next one, as the gateway's delivery reads it). {@code chargerTs} null = no charger status (a run's first
     * readings).
     */
    private List<DeviceMessage> messages(Instant ts, Instant chargerTs) {
        List<DeviceMessage> out = new ArrayList<>();
        String m = town.market();
        for (int i = 0; i < town.sites().size(); i++) {
            TownSite s = town.sites().get(i);
            MeterCounters c = physics.meter(i);
            out.add(new DeviceMessage(s.meterId(), "secondgrid/" + m + "/meters/" + s.meterId() + "/reading",
                    Payloads.meter(ts, zone, c.importWh(), c.exportWh(), c.pvWh())));
        }
        for (TownPhysics.ChargerState c : warmingUp || chargerTs == null ? List.<TownPhysics.ChargerState>of()
                : physics.chargers().values()) {
            out.add(new DeviceMessage(c.id, "secondgrid/" + m + "/chargers/" + c.id + "/status",
                    Payloads.charger(chargerTs, zone, c.ev, c.powerKw, c.sessionWh)));
        }
        for (TownPhysics.EvState e : warmingUp ? List.<TownPhysics.EvState>of() : physics.evs().values()) {
            out.add(new DeviceMessage(e.ev.id(), "secondgrid/" + m + "/evs/" + e.ev.id() + "/state",
                    Payloads.ev(ts, zone, e.lat, e.lon, e.socKwh)));
        }
        messages += out.size();
        return out;
    }

    /**
     * History warm-up: simulates until {@code until} sending only meter readings (every {@code everyTicks}-th tick,
     * so slot boundaries stay exact when it divides the ticks per slot) and weather forecasts to {@code sink}; people
     * stay idle. Then the run goes on with its own telemetry, counters continuing.
     */
    public synchronized void warmUp(Instant until, Telemetry sink, int everyTicks) {
        if (everyTicks < 1 || physics.ticksPerSlot() % everyTicks != 0) {
            throw new IllegalArgumentException("everyTicks must divide the ticks per slot " + physics.ticksPerSlot()
                    + ", got " + everyTicks);
        }
        Telemetry live = telemetry;
        telemetry = sink;
        publishEvery = everyTicks;
        warmingUp = true;
        try {
            begin();
            advanceTo(until);
        } finally {
            telemetry = live;
            publishEvery = 1;
            warmingUp = false;
        }
    }

    /** Follows {@code clock} in a thread: each tick is simulated and published once the clock has passed its end. */
    public void start(Clock clock) {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already running");
        }
        thread = Thread.ofPlatform().name("simulation").daemon(true).start(() -> {
            try {
                while (running.get()) {
                    Instant next = now().plus(tick);
                    Instant t = clock.instant();
                    if (t.isBefore(next)) {
                        Thread.sleep(20);
                        continue;
                    }
                    advanceTo(t);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = e;
                log.error("simulation stopped: {}", e.getMessage(), e);
            } finally {
                running.set(false);
            }
        });
    }

    public boolean running() {
        return running.get();
    }

    /** The error that stopped the clock-following thread, if any. */
    public RuntimeException failure() {
        return failure;
    }

    public void stop() {
        running.set(false);
        if (thread != null) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Total PV curtailed by all sites before local day {@code day} began (0 if the run started later). */
    public synchronized double curtailedBefore(LocalDate day) {
        Double v = curtailedAtDayStart.get(day);
        return v == null ? 0 : v;
    }

    /** Per-site totals so far, for summaries. */
    public synchronized Map<String, double[]> totals() {
        Map<String, double[]> out = new HashMap<>();
        for (int i = 0; i < town.sites().size(); i++) {
            MeterCounters c = physics.meter(i);
            out.put(town.sites().get(i).id(), new double[] {c.importWh(), c.exportWh(), c.pvWh(), physics.curtailedWh(i)});
        }
        return out;
    }

    @Override
    public void close() {
        stop();
    }
}
