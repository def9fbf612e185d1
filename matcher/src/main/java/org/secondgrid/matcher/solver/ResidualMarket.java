package org.secondgrid.matcher.solver;

/**
 * What the grid leaves to the EVs: offers and bids per site and slot after the exact grid clearing, and the
 * grid's welfare. A problem fact of the Timefold model; never changes during a solve.
 */
public final class ResidualMarket {

    private final MarketIndex market;
    private final long[][] offerLeftWh;
    private final long[][] bidLeftWh;
    private final long gridWelfareUnits;

    public ResidualMarket(MarketIndex market, long[][] offerLeftWh, long[][] bidLeftWh, long gridWelfareUnits) {
        this.market = market;
        this.offerLeftWh = offerLeftWh;
        this.bidLeftWh = bidLeftWh;
        this.gridWelfareUnits = gridWelfareUnits;
    }

    /** The residual market after clearing the grid first. */
    public static ResidualMarket afterGrid(MarketIndex m, GridClearing.Result grid) {
        long[][] offer = new long[m.siteCount()][m.slots()];
        long[][] bid = new long[m.siteCount()][m.slots()];
        for (int s = 0; s < m.siteCount(); s++) {
            for (int t = 0; t < m.slots(); t++) {
                offer[s][t] = m.offerWh(s, t) - grid.soldWh()[s][t];
                bid[s][t] = m.bidWh(s, t) - grid.gotWh()[s][t];
            }
        }
        return new ResidualMarket(m, offer, bid, grid.welfareUnits());
    }

    public MarketIndex market() {
        return market;
    }

    public long offerLeftWh(int site, int slot) {
        return offerLeftWh[site][slot];
    }

    public long bidLeftWh(int site, int slot) {
        return bidLeftWh[site][slot];
    }

    public int ports(int site) {
        return market.site(site).ports();
    }

    public long gridWelfareUnits() {
        return gridWelfareUnits;
    }

    public String siteId(int site) {
        return market.site(site).id();
    }
}
