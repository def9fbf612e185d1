package org.secondgrid.gateway.market;

/**
 * How a site's orders for a day are made. {@code auto}: offers = forecast surplus per slot at
 * {@code minAskJpyPerKwh}, bids = forecast net load per slot at {@code maxBidJpyPerKwh}.
 * {@code manual}: the site's {@link ManualOrders} for the day (none = no orders).
 * A site without a stored policy is auto at ask 0 and bid = the retail tariff.
 */
public record OrderPolicy(Mode mode, double minAskJpyPerKwh, double maxBidJpyPerKwh) {

    public enum Mode {
        AUTO, MANUAL;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Parses {@code auto}/{@code manual}; anything else is a {@link MarketException} naming field {@code mode}. */
        public static Mode parse(String s) {
            if ("auto".equals(s)) {
                return AUTO;
            }
            if ("manual".equals(s)) {
                return MANUAL;
            }
            throw MarketException.invalid("mode", s, "mode must be auto or manual, got '" + s + "'");
        }
    }
}
