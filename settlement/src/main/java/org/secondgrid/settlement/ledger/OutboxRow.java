package org.secondgrid.settlement.ledger;

import java.time.LocalDate;

/** One batch's settle transaction in the outbox. */
public record OutboxRow(String settlementId, String market, LocalDate day, int batch, int trades, State state,
                        String sender, Long nonce, String txHash, String rawTx, Long blockNumber, String blockHash,
                        Long gasUsed, String error) {

    public enum State { PENDING, SENT, MINED, CONFIRMED, FAILED }
}
