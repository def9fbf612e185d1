package org.secondgrid.settlement.ledger;

/**
 * One record to settle: {@code buyer} pays {@code amount} to {@code seller} and {@code fee} to the carrying EV's
 * owner ({@code carrier}) or, for a grid delivery ({@code carrier == null}), to the grid operator.
 * Participants are market ids (sites, EVs, {@link #RETAILER}); money in coin units (0.01 JPY), energy in Wh.
 */
public record LedgerTrade(String seller, String buyer, String carrier, int slot, Kind kind, long wh, long amount, long fee) {

    /** The backup retailer: counterparty of every imbalance record. */
    public static final String RETAILER = "backup-retailer";

    /** Energy delivered peer to peer (certificates minted), or imbalance with the backup retailer (money only). */
    public enum Kind {
        ENERGY, IMBALANCE;

        public int code() {
            return ordinal();
        }
    }

    public LedgerTrade {
        if (seller == null || seller.isBlank()) {
            throw new IllegalArgumentException("trade seller must not be blank, was '" + seller + "'");
        }
        if (buyer == null || buyer.isBlank()) {
            throw new IllegalArgumentException("trade buyer must not be blank, was '" + buyer + "'");
        }
        if (slot < 0 || slot > 65_535) {
            throw new IllegalArgumentException("trade slot must be 0..65535, was " + slot);
        }
        if (wh < 0 || amount < 0 || fee < 0) {
            throw new IllegalArgumentException("trade wh/amount/fee must be >= 0, were " + wh + "/" + amount + "/" + fee);
        }
    }
}
