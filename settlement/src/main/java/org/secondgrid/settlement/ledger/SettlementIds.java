package org.secondgrid.settlement.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;

/** Deterministic settlement ids: the same market, day and batch always give the same 32-byte id. */
public final class SettlementIds {

    private SettlementIds() {
    }

    /** SHA-256 of {@code "secondgrid:settlement:v1:{market}:{day}:{batch}"}, as 0x-prefixed hex. */
    public static String of(String market, LocalDate day, int batch) {
        if (market == null || market.isBlank()) {
            throw new IllegalArgumentException("market must not be blank, was '" + market + "'");
        }
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, was " + batch);
        }
        String key = "secondgrid:settlement:v1:" + market + ":" + day + ":" + batch;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "0x" + HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
