package org.secondgrid.gateway.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market database: an external PostgreSQL ({@code DATABASE_URL}) or an embedded one whose data
 * directory is kept under the data folder across restarts. Migrates the schema with Flyway on open.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final DataSource dataSource;
    private final EmbeddedPostgres embedded;
    private final String jdbcUrl;

    private Database(DataSource dataSource, EmbeddedPostgres embedded, String jdbcUrl) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.jdbcUrl = jdbcUrl;
    }

    /** Opens {@code databaseUrl} if given, else an embedded PostgreSQL in {@code dataDir}/postgres; migrates. */
    public static Database open(String databaseUrl, Path dataDir, int embeddedPort) {
        Database db;
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            String jdbc = toJdbcUrl(databaseUrl);
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(jdbc);
            db = new Database(ds, null, jdbc);
            log.info("market database: external {}", redact(jdbc));
        } else {
            try {
                Path dir = dataDir.resolve("postgres");
                Files.createDirectories(dir);
                EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(false)
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("max_connections", "50");
                if (embeddedPort > 0) {
                    b.setPort(embeddedPort);
                }
                EmbeddedPostgres pg = b.start();
                String jdbc = pg.getJdbcUrl("postgres", "postgres");
                PGSimpleDataSource ds = new PGSimpleDataSource();
                ds.setUrl(jdbc);
                db = new Database(ds, pg, jdbc);
                log.info("market database: embedded PostgreSQL in {} at {}", dir, jdbc);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL under " + dataDir + ": " + e.getMessage(), e);
            }
        }
        db.migrate();
        return db;
    }

    /** Accepts {@code jdbc:postgresql://...} or {@code postgres[ql]://user:pass@host:port/db}. */
    public static String toJdbcUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            URI u = URI.create(url);
            StringBuilder sb = new StringBuilder("jdbc:postgresql://").append(u.getHost());
            if (u.getPort() > 0) {
                sb.append(':').append(u.getPort());
            }
            sb.append(u.getPath() == null || u.getPath().isEmpty() ? "/postgres" : u.getPath());
            String sep = "?";
            if (u.getUserInfo() != null) {
                String[] ui = u.getUserInfo().split(":", 2);
                sb.append(sep).append("user=").append(ui[0]);
                sep = "&";
                if (ui.length > 1) {
                    sb.append("&password=").append(URLDecoder.decode(ui[1], StandardCharsets.UTF_8));
                }
            }
            if (u.getQuery() != null) {
                sb.append(sep).append(u.getQuery());
            }
            return sb.toString();
        }
        throw new IllegalArgumentException("DATABASE_URL must start with jdbc:postgresql:, postgres:// or postgresql://, got '"
                + redact(url) + "'");
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***").replaceAll("://([^:/@]+):[^@]*@", "://$1:***@");
    }

    private void migrate() {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }
    }
}
