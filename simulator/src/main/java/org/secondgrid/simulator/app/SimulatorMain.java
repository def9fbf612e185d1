package org.secondgrid.simulator.app;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.gateway.app.ScaledClock;
import org.secondgrid.simulator.device.DeviceRegistrar;
import org.secondgrid.simulator.device.MqttFleet;
import org.secondgrid.simulator.device.SimDevice;
import org.secondgrid.simulator.people.MarketClient;
import org.secondgrid.simulator.people.TownPeople;
import org.secondgrid.simulator.physics.SetpointBook;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownGenerator;
import org.secondgrid.simulator.town.TownJson;
import org.secondgrid.simulator.town.TownSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./secondgrid simulate [--gateway URL] [--mqtt URL] [--admin-token T] [--town FILE|aizu-demo] [--seed N]
 * [--speed X] [--days N | --hours H] [--start ISO] [--tick MIN] [--accept R] [--declare R] [--no-show R]}, and {@code simulate town [--seed N]}
 * to print the generated demo town.
 */
public final class SimulatorMain {

    private static final Logger log = LoggerFactory.getLogger(SimulatorMain.class);

    private SimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(args, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println("simulate: " + e.getMessage());
            System.exit(2);
        }
    }

    static Map<String, String> options(String[] args, int from) {
        Map<String, String> o = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            o.put(a.substring(2), args[++i]);
        }
        return o;
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length > 0 && "demo".equals(args[0])) {
            org.secondgrid.simulator.demo.DemoMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return 0;
        }
        if (args.length > 0 && "town".equals(args[0])) {
            Map<String, String> o = options(args, 1);
            TownSpec s = TownSpec.aizuDemo();
            if (o.containsKey("seed")) {
                s = new TownSpec(s.market(), num(o, "seed", 0L), s.houses(), s.pvShare(), s.factories(), s.shops(),
                        s.evs(), s.feeders(), s.manualShare());
            }
            out.print(TownJson.write(TownGenerator.generate(s)));
            return 0;
        }
        Map<String, String> o = options(args, 0);
        for (String k : o.keySet()) {
            if (!List.of("gateway", "mqtt", "admin-token", "town", "seed", "speed", "days", "start", "tick", "accept",
                    "no-show", "declare", "hours").contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k);
            }
        }
        Map<String, String> env = System.getenv();
        String gateway = o.getOrDefault("gateway", env.getOrDefault("GATEWAY_URL", "http://127.0.0.1:8080"));
        String mqtt = o.getOrDefault("mqtt", env.getOrDefault("MQTT_URL", "tcp://127.0.0.1:1883"));
        String adminToken = o.getOrDefault("admin-token", env.get("ADMIN_TOKEN"));
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("--admin-token (or ADMIN_TOKEN) is required to register the devices");
        }
        Town town = loadTown(o.getOrDefault("town", TownSpec.AIZU_DEMO), o.get("seed"));
        double speed = num(o, "speed", 60.0);
        long days = num(o, "days", 1L);
        SimConfig cfg = SimConfig.defaults().withTickMinutes((int) num(o, "tick", 5L))
                .withRates(num(o, "accept", 0.8), num(o, "declare", 0.8), num(o, "no-show", 0.05));
        Instant start = o.containsKey("start") ? instant(o.get("start"), town) : Instant.now();
        if (speed <= 0 || days <= 0) {
            throw new IllegalArgumentException("--speed and --days must be > 0, got " + speed + " and " + days);
        }
        log.info("town {}", town.summary());
        List<SimDevice> devices = SimulationRun.devices(town);
        Map<String, String> passwords = new DeviceRegistrar(gateway, adminToken).registerAll(devices);
        List<SimDevice> connected = devices.stream().filter(d -> passwords.containsKey(d.id())).toList();
        SetpointBook setpoints = new SetpointBook();
        long t0 = System.nanoTime();
        try (MqttFleet fleet = MqttFleet.connect(mqtt, connected, passwords, setpoints, 8)) {
            log.info("{} device connections in {} ms", fleet.connections(), (System.nanoTime() - t0) / 1_000_000);
            TownPeople people = new TownPeople(town, cfg, new MarketClient(gateway, adminToken));
            SimulationRun run = new SimulationRun(town, cfg, fleet, setpoints, people, start,
                    passwords.containsKey(SimulationRun.WEATHER_PROVIDER));
            people.attach(run);
            people.enrol();
            Clock clock = ScaledClock.of(run.now(), speed);
            Instant end = run.now().plus(o.containsKey("hours") ? Duration.ofMinutes(Math.round(60 * num(o, "hours", 24.0)))
                    : Duration.ofDays(days));
            run.begin();
            run.start(clock);
            while (run.running() && run.now().isBefore(end)) {
                Thread.sleep(1000);
                log.info("sim time {} : {} messages, {} setpoints received", run.now().atZone(town.zone()).toLocalDateTime(),
                        run.messages(), fleet.setpointsReceived());
            }
            run.stop();
            if (run.failure() != null) {
                throw run.failure();
            }
            out.printf("simulated %s from %s to %s: %,d messages from %d devices, %d setpoints received, jobs %s%n",
                    town.market(), start, run.now(), run.messages(), fleet.connections(), fleet.setpointsReceived(),
                    people.decisions());
        }
        return 0;
    }

    static Town loadTown(String name, String seed) {
        if (TownSpec.AIZU_DEMO.equals(name) && seed != null) {
            TownSpec s = TownSpec.aizuDemo();
            return TownGenerator.generate(new TownSpec(s.market(), parseLong("seed", seed), s.houses(), s.pvShare(),
                    s.factories(), s.shops(), s.evs(), s.feeders(), s.manualShare()));
        }
        Town t = TownJson.load(name);
        if (seed != null) {
            t = new Town(t.market(), t.timeZone(), t.lat(), t.lon(), parseLong("seed", seed), t.slotMinutes(), t.feeders(),
                    t.sites(), t.evs());
        }
        return t;
    }

    static Instant instant(String v, Town town) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(v).atZone(town.zone()).toInstant();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDate.parse(v).atStartOfDay(town.zone()).toInstant();
                } catch (DateTimeParseException e3) {
                    throw new IllegalArgumentException("--start must be an ISO instant, local date-time or date, got '" + v + "'");
                }
            }
        }
    }

    static long parseLong(String field, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + field + " must be an integer, got '" + v + "'");
        }
    }

    static long num(Map<String, String> o, String k, long def) {
        return o.containsKey(k) ? parseLong(k, o.get(k)) : def;
    }

    static double num(Map<String, String> o, String k, double def) {
        if (!o.containsKey(k)) {
            return def;
        }
        try {
            return Double.parseDouble(o.get(k));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + k + " must be a number, got '" + o.get(k) + "'");
        }
    }
}
