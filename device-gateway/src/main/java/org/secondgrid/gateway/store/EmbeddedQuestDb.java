package org.secondgrid.gateway.store;

import io.questdb.ServerMain;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded QuestDB under the data folder, serving the InfluxDB v2 write endpoint
 * ({@code /api/v2/write}) and SQL ({@code /exec}) on one HTTP port bound to 127.0.0.1. Creates the
 * raw-telemetry tables with DEDUP UPSERT KEYS(timestamp, device), which makes re-sent points idempotent.
 */
public final class EmbeddedQuestDb implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedQuestDb.class);

    private static final String[] TABLES = {
            "CREATE TABLE IF NOT EXISTS meter_reading (device SYMBOL, site SYMBOL, import_wh DOUBLE, export_wh DOUBLE,"
                    + " pv_wh DOUBLE, counter_reset BOOLEAN, seq LONG, timestamp TIMESTAMP) TIMESTAMP(timestamp)"
                    + " PARTITION BY DAY WAL DEDUP UPSERT KEYS(timestamp, device)",
            "CREATE TABLE IF NOT EXISTS charger_status (device SYMBOL, site SYMBOL, power_kw DOUBLE, session_wh DOUBLE,"
                    + " ev VARCHAR, seq LONG, timestamp TIMESTAMP) TIMESTAMP(timestamp)"
                    + " PARTITION BY DAY WAL DEDUP UPSERT KEYS(timestamp, device)",
            "CREATE TABLE IF NOT EXISTS ev_state (device SYMBOL, site SYMBOL, lat DOUBLE, lon DOUBLE, soc_kwh DOUBLE,"
                    + " seq LONG, timestamp TIMESTAMP) TIMESTAMP(timestamp)"
                    + " PARTITION BY DAY WAL DEDUP UPSERT KEYS(timestamp, device)"
    };

    private final ServerMain server;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private EmbeddedQuestDb(ServerMain server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedQuestDb start(Path dataDir, int port) {
        try {
            Path root = dataDir.resolve("questdb");
            Files.createDirectories(root.resolve("conf"));
            Path logConf = root.resolve("conf/log.conf");
            Files.createDirectories(root.resolve("log"));
            // QuestDB's own logger writes to a file under the data folder, so stdout stays data.
            Files.writeString(logConf, "writers=file\nw.file.class=io.questdb.log.LogFileWriter\n"
                    + "w.file.location=" + root.resolve("log/questdb.log") + "\n"
                    + "w.file.level=ERROR,CRITICAL,ADVISORY\n");
            if (System.getProperty("out") == null) {
                System.setProperty("out", logConf.toString()); // QuestDB's LogFactory reads its config from -Dout
            }
            ServerMain s = ServerMain.create(root.toString(), Map.of(
                    "QDB_HTTP_BIND_TO", "127.0.0.1:" + port,
                    "QDB_HTTP_MIN_ENABLED", "false",
                    "QDB_PG_ENABLED", "false",
                    "QDB_LINE_TCP_ENABLED", "false",
                    "QDB_LINE_UDP_ENABLED", "false",
                    "QDB_TELEMETRY_ENABLED", "false",
                    "QDB_SHARED_WORKER_COUNT", "1",
                    "QDB_HTTP_WORKER_COUNT", "1"));
            s.start();
            EmbeddedQuestDb q = new EmbeddedQuestDb(s, s.getHttpServerPort());
            for (String ddl : TABLES) {
                q.exec(ddl);
            }
            log.info("time series: embedded QuestDB in {} on 127.0.0.1:{}", root, q.port);
            return q;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded QuestDB under " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Runs SQL through the HTTP /exec endpoint and returns the JSON answer. */
    public String exec(String sql) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url() + "/exec?query="
                    + URLEncoder.encode(sql, StandardCharsets.UTF_8))).GET().build();
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new IllegalStateException("QuestDB rejected '" + sql + "': " + res.body());
            }
            return res.body();
        } catch (IOException e) {
            throw new IllegalStateException("QuestDB not reachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }
}
