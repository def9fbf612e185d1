package org.secondgrid.settlement.ledger;

/** Points in a batch's life where tests inject a crash (or a chain restart) to prove exactly-once settlement. */
public enum CrashPoint {
    /** The batch is PENDING: nothing signed or sent. */
    BEFORE_SIGN,
    /** Signed and recorded as SENT (nonce, hash, raw tx) in the database, not yet broadcast. */
    BEFORE_SEND,
    /** Broadcast, receipt not yet seen. */
    AFTER_SEND,
    /** The receipt is there (mined) but the database still says SENT. */
    BEFORE_DB_UPDATE,
    /** The database says MINED, not yet CONFIRMED. */
    AFTER_MINED;

    /** Called by the service at each point; a test's hook may throw to simulate the process dying there. */
    @FunctionalInterface
    public interface Hook {
        Hook NONE = (point, settlementId) -> { };

        void at(CrashPoint point, String settlementId);
    }

    /** Thrown by test hooks: the service must not catch it (like a killed process, it unwinds everything). */
    public static final class SimulatedCrash extends Error {
        public SimulatedCrash(CrashPoint point, String settlementId) {
            super("simulated crash at " + point + " of " + settlementId);
        }
    }
}
