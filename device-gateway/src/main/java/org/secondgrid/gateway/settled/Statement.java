package org.secondgrid.gateway.settled;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What settlement settled on chain for one party (a site or an EV) on one market day: one row of
 * {@code settlement_statement}, written by the settlement module from its ledger's confirmed batches (energy in Wh,
 * money in JPY with the coin's 2 decimals).
 */
public record Statement(String market, LocalDate day, String party, String partyKind, String participantId,
                        long whSold, long whBought, long whCarried, long imbalanceWhBought, long imbalanceWhSold,
                        BigDecimal jpyReceived, BigDecimal jpyPaid, BigDecimal feesEarnedJpy, BigDecimal imbalanceJpyPaid,
                        BigDecimal imbalanceJpyReceived, long tokenId, long certificateWh, long chainId, String coinContract,
                        String certificateContract, String partyAddress, List<String> txHashes, long lastBlock, int batches,
                        int unconfirmedBatches, String status, Instant settledAt, Instant updatedAt) {

    public Statement {
        txHashes = List.copyOf(txHashes);
    }

    /** Received minus paid. */
    public BigDecimal netJpy() {
        return jpyReceived.subtract(jpyPaid);
    }
}
