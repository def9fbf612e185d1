package org.secondgrid.settlement.escrow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.secondgrid.settlement.chain.ChainException;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.contracts.generated.Settlement;
import org.secondgrid.settlement.ledger.LedgerStore;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/**
 * Escrow at gate closure: given what each buyer may pay at most for a day's bids, reads every buyer's escrow on chain
 * (one {@code escrowOfBatch} call per 500 buyers) and returns the buyers whose escrow does not cover it, so the market
 * can drop or cap their bids before matching and a settlement never fails for lack of funds.
 *
 * <p>Buyers are market ids (sites); their addresses come from the ledger's participant table (a buyer without one gets
 * its derived address, which has no escrow until someone deposits for it). Money in JPY on the API, coin units
 * (0.01 JPY) on chain; a need is rounded up to the next unit.
 */
public final class EscrowCheck {

    private static final int CHUNK = 500;

    /** A bid of the day: {@code kwh} in {@code slot} at most {@code bidJpyPerKwh} (the spec's instance {@code bids[]}). */
    public record Bid(String buyer, int slot, double kwh, double bidJpyPerKwh) {
        public Bid {
            if (buyer == null || buyer.isBlank()) {
                throw new IllegalArgumentException("bid buyer must not be blank, was '" + buyer + "'");
            }
            if (!(kwh >= 0) || !(bidJpyPerKwh >= 0)) {
                throw new IllegalArgumentException("bid kwh and bidJpyPerKwh must be >= 0, were " + kwh + " and " + bidJpyPerKwh
                        + " for " + buyer + " slot " + slot);
            }
        }
    }

    /** A buyer whose escrow does not cover its bids: what it needs, what it has (coin units, 0.01 JPY). */
    public record Shortfall(String buyer, String address, long neededUnits, long escrowUnits) {
        public long missingUnits() {
            return neededUnits - escrowUnits;
        }

        public double missingJpy() {
            return missingUnits() / 100.0;
        }

        /** JPY of the bids this escrow can fund (for capping the buyer's bids instead of dropping them). */
        public double fundedJpy() {
            return escrowUnits / 100.0;
        }
    }

    private final LedgerStore store;
    private final Settlement settlement;

    public EscrowCheck(LedgerStore store, Web3j web3j, Deployment deployment, long chainId) {
        this.store = store;
        // read-only calls: the key never signs anything
        this.settlement = deployment.settlement(web3j, Credentials.create("0x01"), chainId);
    }

    /**
     * The most a buyer pays for its bids, JPY: every bid fully delivered at its price, or not taken and charged as
     * imbalance at the backup retailer's price (the allocation rule charges a buyer short of its schedule that price for
     * the gap), whichever is more: {@code sum(kwh * max(bidJpyPerKwh, imbalanceJpyPerKwh))}.
     */
    public static Map<String, Double> maxSpend(Collection<Bid> bids, double imbalanceJpyPerKwh) {
        Map<String, Double> out = new TreeMap<>();
        for (Bid b : bids) {
            out.merge(b.buyer(), b.kwh() * Math.max(b.bidJpyPerKwh(), imbalanceJpyPerKwh), Double::sum);
        }
        return out;
    }

    /** The bids of an instance in the spec's JSON ({@code bids[]: site, slot, kwh, bidJpyPerKwh}). */
    public static List<Bid> bidsOf(String instanceJson) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = org.secondgrid.settlement.ledger.SolutionFile.json().readTree(instanceJson);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("instance JSON does not parse: " + e.getMessage(), e);
        }
        List<Bid> out = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode bids = root == null ? null : root.get("bids");
        if (bids == null || bids.isNull()) {
            return out;
        }
        if (!bids.isArray()) {
            throw new IllegalArgumentException("instance bids must be an array, was " + bids.getNodeType());
        }
        for (int i = 0; i < bids.size(); i++) {
            com.fasterxml.jackson.databind.JsonNode b = bids.get(i);
            for (String field : List.of("site", "slot", "kwh", "bidJpyPerKwh")) {
                if (!b.hasNonNull(field)) {
                    throw new IllegalArgumentException("instance bids[" + i + "]." + field + " is missing");
                }
            }
            out.add(new Bid(b.get("site").asText(), b.get("slot").asInt(), b.get("kwh").asDouble(), b.get("bidJpyPerKwh").asDouble()));
        }
        return out;
    }

    /** Shortfalls of the buyers whose escrow is below {@code maxJpyByBuyer}; empty if every bid is funded. */
    public List<Shortfall> shortfalls(Map<String, Double> maxJpyByBuyer) {
        return shortfalls(maxJpyByBuyer, Map.of());
    }

    /**
     * As {@link #shortfalls(Map)}, with escrow already committed per buyer (JPY) subtracted first, e.g. the previous
     * delivery day's bids while that day is not settled yet.
     */
    public List<Shortfall> shortfalls(Map<String, Double> maxJpyByBuyer, Map<String, Double> committedJpyByBuyer) {
        Map<String, Long> need = new TreeMap<>();
        maxJpyByBuyer.forEach((buyer, jpy) -> {
            if (jpy == null || !(jpy >= 0)) {
                throw new IllegalArgumentException("max JPY of buyer '" + buyer + "' must be >= 0, was " + jpy);
            }
            double committed = committedJpyByBuyer.getOrDefault(buyer, 0.0);
            if (!(committed >= 0)) {
                throw new IllegalArgumentException("committed JPY of buyer '" + buyer + "' must be >= 0, was " + committed);
            }
            need.put(buyer, units(jpy + committed));
        });
        if (need.isEmpty()) {
            return List.of();
        }
        Map<String, String> addr = store.addresses(need.keySet());
        List<String> buyers = new ArrayList<>(need.keySet());
        List<Shortfall> out = new ArrayList<>();
        for (int i = 0; i < buyers.size(); i += CHUNK) {
            List<String> chunk = buyers.subList(i, Math.min(buyers.size(), i + CHUNK));
            List<?> escrow;
            try {
                escrow = settlement.escrowOfBatch(chunk.stream().map(addr::get).toList()).send();
            } catch (Exception e) {
                throw new ChainException("cannot read escrow: " + e.getMessage(), e);
            }
            for (int k = 0; k < chunk.size(); k++) {
                String buyer = chunk.get(k);
                long has = ((BigInteger) escrow.get(k)).longValueExact();
                long needed = need.get(buyer);
                if (has < needed) {
                    out.add(new Shortfall(buyer, addr.get(buyer), needed, has));
                }
            }
        }
        return out;
    }

    /**
     * The same check with JDK types only (buyer -> missing JPY), so a component that must not depend on this module
     * (the gateway's market) can take it as a {@code java.util.function.Function<Map<String, Double>, Map<String, Double>>}.
     */
    public Map<String, Double> missingJpyByBuyer(Map<String, Double> maxJpyByBuyer) {
        Map<String, Double> out = new TreeMap<>();
        for (Shortfall s : shortfalls(maxJpyByBuyer)) {
            out.put(s.buyer(), s.missingJpy());
        }
        return out;
    }

    static long units(double jpy) {
        // float noise (0.1 + 0.2) must not round a need up by a unit: 6 decimals first
        return BigDecimal.valueOf(jpy).setScale(6, RoundingMode.HALF_UP).movePointRight(2).setScale(0, RoundingMode.CEILING)
                .longValueExact();
    }
}
