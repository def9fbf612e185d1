package org.secondgrid.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's InfluxDB 1.x ({@code influxd}, installed by tools/test-prereqs) run by hand on loopback with a
 * temp config and data folder and free ports: no systemd, nothing outside the folder.
 */
final class InfluxProcess implements AutoCloseable {

    static final String BINARY = "/usr/bin/influxd";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final int httpPort;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    InfluxProcess(Path dir) throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " not found: install Debian's influxdb package (tools/test-prereqs does)");
        }
        this.dir = dir;
        this.httpPort = Mqtt.freePort();
        int rpcPort = Mqtt.freePort();
        Path conf = dir.resolve("influxdb.conf");
        Files.writeString(conf, """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                [retention]
                  enabled = false
                [shard-precreation]
                  enabled = false
                [monitor]
                  store-enabled = false
                [http]
                  enabled = true
                  bind-address = "127.0.0.1:%d"
                  auth-enabled = false
                  log-enabled = false
                [continuous_queries]
                  enabled = false
                """.formatted(rpcPort, dir, dir, dir, httpPort));
        process = new ProcessBuilder(BINARY, "run", "-config", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("influxd.log").toFile()).start();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("influxd exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("influxd.log")));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri("/ping")).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 204) {
                    break;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("influxd did not answer /ping within 60 s");
            }
            Thread.sleep(200);
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + httpPort + pathAndQuery);
    }

    /** Runs an InfluxQL statement (POST, for CREATE and the like). */
    JsonNode command(String q) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("InfluxDB " + r.statusCode() + " for " + q + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Runs an InfluxQL query the way Grafana does (GET /query, epoch=ms). */
    JsonNode query(String db, String q) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/query?db=" + db + "&epoch=ms&q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("InfluxDB " + r.statusCode() + " for " + q + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
