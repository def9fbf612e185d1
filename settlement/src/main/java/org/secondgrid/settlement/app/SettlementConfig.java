package org.secondgrid.settlement.app;

import java.nio.file.Path;
import java.util.Map;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.ledger.SettlementService;

/**
 * Everything the settlement commands read from the environment, with defaults for the local chain.
 *
 * @param dataDir            {@code SETTLEMENT_DATA_DIR}, default {@code .data/settlement} (embedded PostgreSQL, anvil state)
 * @param databaseUrl        {@code DATABASE_URL}; unset = embedded PostgreSQL under dataDir
 * @param imbalanceJpyPerKwh {@code IMBALANCE_PRICE_JPY_PER_KWH}, default 30
 * @param batchTrades        {@code SETTLEMENT_BATCH_TRADES}, trade records per settle transaction, default 400
 */
public record SettlementConfig(Path dataDir, String databaseUrl, ChainConfig chain, double imbalanceJpyPerKwh, int batchTrades) {

    public static SettlementConfig fromEnv(Map<String, String> env) {
        String dir = env.getOrDefault("SETTLEMENT_DATA_DIR", ".data/settlement");
        double price;
        String p = env.get("IMBALANCE_PRICE_JPY_PER_KWH");
        try {
            price = p == null || p.isBlank() ? 30.0 : Double.parseDouble(p.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("IMBALANCE_PRICE_JPY_PER_KWH must be a number, was '" + p + "'");
        }
        int batch;
        String b = env.get("SETTLEMENT_BATCH_TRADES");
        try {
            batch = b == null || b.isBlank() ? 400 : Integer.parseInt(b.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SETTLEMENT_BATCH_TRADES must be an integer, was '" + b + "'");
        }
        if (batch <= 0) {
            throw new IllegalArgumentException("SETTLEMENT_BATCH_TRADES must be > 0, was " + batch);
        }
        if (price < 0) {
            throw new IllegalArgumentException("IMBALANCE_PRICE_JPY_PER_KWH must be >= 0, was " + price);
        }
        return new SettlementConfig(Path.of(dir), env.get("DATABASE_URL"), ChainConfig.fromEnv(env), price, batch);
    }

    public SettlementService.Options serviceOptions() {
        return new SettlementService.Options(batchTrades, 120_000);
    }
}
