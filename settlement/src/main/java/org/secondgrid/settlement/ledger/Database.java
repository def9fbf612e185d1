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

    private final DataSource dataSource;
    private final EmbeddedPostgres embedded;

    private Database(DataSource dataSource, EmbeddedPostgres embedded) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    /** An embedded PostgreSQL whose data stays in {@code dataDir} (created if missing), on a free port. */
    public static Database embedded(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).start();
            log.info("embedded PostgreSQL on port {} with data in {}", pg.getPort(), dataDir);
            return new Database(pg.getPostgresDatabase(), pg);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code postgresql://user:password@host:port/db} or {@code jdbc:postgresql://...}. */
    public static Database external(String databaseUrl) {
        String url = databaseUrl.startsWith("jdbc:") ? databaseUrl.substring(5) : databaseUrl;
        URI uri;
        try {
            uri = URI.create(url.replaceFirst("^postgres(ql)?://", "postgresql://"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a URL: '" + databaseUrl.replaceAll("//[^@]*@", "//***@") + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL has no host: '" + databaseUrl.replaceAll("//[^@]*@", "//***@") + "'");
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
        return new Database(ds, null);
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
