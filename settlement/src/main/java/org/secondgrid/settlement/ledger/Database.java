package org.secondgrid.settlement.ledger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ledger database: PostgreSQL from {@code DATABASE_URL}, else an embedded one keeping its data in a folder. */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /**
     * The ledger's Flyway migrations: a location of their own, so the settlement can share a classpath (one JVM) with
     * the device gateway, whose migrations are in {@code classpath:db/migration} with overlapping versions.
     */
    public static final String MIGRATIONS = "classpath:db/settlement";

    private final DataSource dataSource;
    private final EmbeddedPostgres embedded;

    private Database(DataSource dataSource, EmbeddedPostgres embedded, String schema) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        var flyway = Flyway.configure().dataSource(dataSource).locations(MIGRATIONS);
        if (schema != null && !schema.isBlank()) {
            flyway.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        flyway.load().migrate();
    }

    /** An embedded PostgreSQL whose data stays in {@code dataDir} (created if missing), on a free port. */
    public static Database embedded(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).start();
            log.info("embedded PostgreSQL on port {} with data in {}", pg.getPort(), dataDir);
            return new Database(pg.getPostgresDatabase(), pg, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code postgresql://user:password@host:port/db} or {@code jdbc:postgresql://...}; a {@code ?currentSchema=name}
     * keeps the ledger in that schema (created by Flyway), e.g. when it shares a PostgreSQL database with the gateway.
     */
    public static Database external(String databaseUrl) {
        PGSimpleDataSource ds = dataSource(databaseUrl, "DATABASE_URL");
        return new Database(ds, null, ds.getCurrentSchema());
    }

    /** A plain data source for a PostgreSQL URL (no migration); {@code what} names the setting in errors. */
    public static PGSimpleDataSource dataSource(String databaseUrl, String what) {
        if (databaseUrl == null || databaseUrl.isBlank()) {
            throw new IllegalArgumentException(what + " must be a postgresql:// URL, was empty");
        }
        String url = databaseUrl.startsWith("jdbc:") ? databaseUrl.substring(5) : databaseUrl;
        String masked = databaseUrl.replaceAll("//[^@]*@", "//***@");
        URI uri;
        try {
            uri = URI.create(url.replaceFirst("^postgres(ql)?://", "postgresql://"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not a URL: '" + masked + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(what + " has no host: '" + masked + "'");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {uri.getHost()});
        ds.setPortNumbers(new int[] {uri.getPort() > 0 ? uri.getPort() : 5432});
        ds.setDatabaseName(uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1));
        if (uri.getUserInfo() != null) {
            String[] ui = uri.getUserInfo().split(":", 2);
            ds.setUser(ui[0]);
            if (ui.length > 1) {
                ds.setPassword(ui[1]);
            }
        }
        if (uri.getQuery() != null) {
            for (String kv : uri.getQuery().split("&")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2 && p[0].equals("currentSchema") && !p[1].isBlank()) {
                    ds.setCurrentSchema(p[1]);
                } else if (p.length == 2 && p[0].equals("user")) {
                    ds.setUser(p[1]);
                } else if (p.length == 2 && p[0].equals("password")) {
                    ds.setPassword(p[1]);
                }
            }
        }
        return ds;
    }

    /**
     * The ledger in a data source of its own (its connections must resolve the ledger's tables: a separate database,
     * or a data source whose connections use a schema of their own). Migrated by Flyway.
     */
    public static Database of(DataSource dataSource) {
        return new Database(dataSource, null, null);
    }

    /** {@code DATABASE_URL} if set, else embedded under {@code dataDir}. */
    public static Database fromEnv(String databaseUrl, Path dataDir) {
        return databaseUrl == null || databaseUrl.isBlank() ? embedded(dataDir) : external(databaseUrl);
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
