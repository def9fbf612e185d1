package org.secondgrid.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.secondgrid.gateway.delivery.DeliveryDay;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.generate.GeneratorConfig;
import org.secondgrid.matcher.generate.InstanceGenerator;
import org.secondgrid.matcher.solver.MarketSolver;
import org.secondgrid.matcher.solver.SolveOptions;

/**
 * Every Grafana panel query of {@code grafana/dashboards/*.json} against a real InfluxDB (Debian's 1.x,
 * started on loopback), loaded through its v1 {@code /write} endpoint by the gateway's own
 * {@code TimeSeriesWriter} (INFLUX_API=v1) with a realistic day of the line protocol the gateway writes
 * (see {@link RealisticDay}). Grafana's macros are substituted the way Grafana
 * does: {@code $timeFilter} → the day, {@code $__interval} → 5m, template variables → the values their
 * own queries return (regex-escaped; multi-value → {@code (a|b)}). Each query must return data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaPanelsIT {

    static final String DB = "secondgrid";
    static final Path DASHBOARDS = Path.of("..", "grafana", "dashboards");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_]\\w*)\\}?");

    Path dir;
    InfluxProcess influx;
    DeliveryDay day;
    RealisticDay data;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("grafana-it");
        influx = new InfluxProcess(dir);
        influx.command("CREATE DATABASE " + DB);
        Instance in = new InstanceGenerator().generate(new GeneratorConfig(40, 8, 5L));
        Solution sol = MarketSolver.solve(in, SolveOptions.seconds(4));
        assertThat(sol.itineraries()).as("the generated town's schedule uses EVs (the fleet panels need some)").isNotEmpty();
        assertThat(sol.grid()).as("the generated town's schedule has grid deliveries").isNotEmpty();
        day = DeliveryDay.of(in);
        data = new RealisticDay(in, sol);
        // through the gateway's own time-series writer, InfluxDB 1.x mode (POST /write?db=…&precision=ms)
        org.secondgrid.gateway.ingest.IngestMetrics metrics = new org.secondgrid.gateway.ingest.IngestMetrics();
        try (var writer = new org.secondgrid.gateway.store.TimeSeriesWriter(new org.secondgrid.gateway.store.TimeSeriesWriter.Target(
                "http://127.0.0.1:" + influx.httpPort, "", "", DB, "v1"), data.lines.size(), 5000, metrics)) {
            writer.offerLines(data.lines);
        }
        assertThat(metrics.timeseriesWritten.sum()).isEqualTo(data.lines.size());
        assertThat(metrics.timeseriesRetries.sum()).isZero();
    }

    @AfterAll
    void stop() {
        if (influx != null) {
            influx.close();
        }
        Mqtt.deleteTree(dir);
    }

    @Test
    void everyPanelQueryOfEveryDashboardReturnsData() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(DASHBOARDS)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        List<String> failures = new ArrayList<>();
        int queries = 0;
        // the provisioned data source: an InfluxDB with InfluxQL, whose uid the panels refer to
        String ds = Files.readString(DASHBOARDS.resolveSibling("provisioning").resolve("datasources").resolve("secondgrid.yaml"));
        assertThat(ds).contains("type: influxdb").contains("version: InfluxQL");
        Matcher uidMatch = Pattern.compile("(?m)^\\s+uid:\\s*(\\S+)").matcher(ds);
        assertThat(uidMatch.find()).as("data source uid in the provisioning file").isTrue();
        String uid = uidMatch.group(1);
        assertThat(Files.readString(DASHBOARDS.resolveSibling("provisioning").resolve("dashboards").resolve("secondgrid.yaml")))
                .contains("type: file").contains("path:");
        for (Path f : files) {
            JsonNode dash = JSON.readTree(f.toFile());
            Map<String, String> vars = new LinkedHashMap<>();
            vars.put("timeFilter", "time >= " + day.start().toEpochMilli() + "ms and time < "
                    + day.slotStart(day.slots()).toEpochMilli() + "ms");
            vars.put("__interval", "5m");
            vars.put("__interval_ms", "300000");
            for (JsonNode v : dash.path("templating").path("list")) {
                String name = v.get("name").asText();
                String q = substitute(v.get("query").asText(), vars);
                queries++;
                List<String> values = new ArrayList<>();
                JsonNode res = influx.query(DB, q);
                for (JsonNode series : res.path("results").path(0).path("series")) {
                    for (JsonNode row : series.path("values")) {
                        values.add(row.get(1).asText());
                    }
                }
                if (values.isEmpty()) {
                    failures.add(f.getFileName() + " variable $" + name + ": no values for " + q + " → " + res);
                    continue;
                }
                boolean multi = v.path("multi").asBoolean() || v.path("includeAll").asBoolean();
                vars.put(name, multi ? "(" + String.join("|", values.stream().map(GrafanaPanelsIT::regexEscape).toList()) + ")"
                        : regexEscape(values.get(0)));
            }
            assertThat(vars.get("market")).isEqualTo("aizu\\-demo");
            for (JsonNode panel : panels(dash)) {
                if (!uid.equals(panel.path("datasource").path("uid").asText())) {
                    failures.add(f.getFileName() + " panel '" + panel.path("title").asText() + "' does not use data source " + uid);
                }
                for (JsonNode target : panel.path("targets")) {
                    String raw = target.path("query").asText();
                    if (raw.isEmpty()) {
                        failures.add(f.getFileName() + " panel '" + panel.path("title").asText() + "': target without a raw query");
                        continue;
                    }
                    String q = substitute(raw, vars);
                    queries++;
                    JsonNode res = influx.query(DB, q);
                    if (!hasData(res)) {
                        failures.add(f.getFileName() + " panel '" + panel.path("title").asText() + "' " + target.path("refId").asText()
                                + ": no data for " + q + " → " + res);
                    }
                }
            }
        }
        org.slf4j.LoggerFactory.getLogger(GrafanaPanelsIT.class).info(
                "{} dashboards, {} queries run against InfluxDB loaded with {} points; {} re-dispatches, {} backflow events "
                        + "({} EV-caused), {} kWh from the retailer", files.size(), queries, data.lines.size(), data.redispatches,
                data.backflowEvents, data.evCausedBackflow, String.format("%.1f", data.retailerKwh));
        assertThat(failures).isEmpty();
        assertThat(queries).isGreaterThanOrEqualTo(25);
        // the day itself is what the dashboards are for: imbalance, re-dispatch, some backflow, none caused by EVs
        assertThat(data.redispatches).isPositive();
        assertThat(data.retailerKwh).isPositive();
        assertThat(data.backflowEvents).isPositive();
        assertThat(data.evCausedBackflow).isZero();
    }

    static List<JsonNode> panels(JsonNode dash) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dash.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add); // panels inside collapsed rows
        }
        return out;
    }

    /** Replaces $name / ${name} by its value; a variable without one is an error naming it. */
    static String substitute(String q, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(q);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) {
                throw new AssertionError("query uses $" + m.group(1) + ", which is neither a macro nor a variable: " + q);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Grafana escapes regex characters of a variable's value used in an InfluxQL regex. */
    static String regexEscape(String v) {
        return v.replaceAll("([\\\\^$.|?*+()\\[\\]{}/-])", "\\\\$1");
    }

    static boolean hasData(JsonNode res) {
        JsonNode r = res.path("results").path(0);
        if (r.has("error")) {
            return false;
        }
        for (JsonNode series : r.path("series")) {
            for (JsonNode row : series.path("values")) {
                for (int i = 1; i < row.size(); i++) {
                    if (!row.get(i).isNull()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
