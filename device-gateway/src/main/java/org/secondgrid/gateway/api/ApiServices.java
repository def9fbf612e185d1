package org.secondgrid.gateway.api;

import java.time.Clock;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.secondgrid.gateway.auth.AccessLog;
import org.secondgrid.gateway.auth.Consents;
import org.secondgrid.gateway.auth.Credentials;
import org.secondgrid.gateway.auth.TokenRevocations;
import org.secondgrid.gateway.ingest.IngestMetrics;
import org.secondgrid.gateway.market.MarketServices;
import org.secondgrid.gateway.settled.StatementStore;
import org.secondgrid.gateway.store.DeviceRepository;

/**
 * What the routes use: the database, the registries, the market service, the clock, the auth stores and the settled
 * statements. Token revocation runs on the real clock (token expiry does), not on the market's clock.
 */
public record ApiServices(DataSource ds, DeviceRepository devices, IngestMetrics metrics, BooleanSupplier ingestHealthy,
                          Clock clock, Credentials credentials, Consents consents, AccessLog accessLog,
                          PersonalData personal, Market market, GridFigures grid, TokenRevocations revocations,
                          StatementStore statements) {

    /** Builds the auth stores on the same database. */
    public static ApiServices create(DataSource ds, DeviceRepository devices, IngestMetrics metrics,
                                     BooleanSupplier ingestHealthy, Clock clock, MarketServices market,
                                     GridFigures grid, int pbkdf2Iterations) {
        Consents consents = new Consents(ds);
        AccessLog log = new AccessLog(ds, clock);
        return new ApiServices(ds, devices, metrics, ingestHealthy, clock, new Credentials(ds, pbkdf2Iterations),
                consents, log, new PersonalData(log, consents), new Market(market, clock), grid,
                TokenRevocations.inDatabase(ds, Clock.systemUTC()), new StatementStore(ds));
    }
}
