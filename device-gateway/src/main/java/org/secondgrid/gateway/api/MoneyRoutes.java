package org.secondgrid.gateway.api;

import static org.secondgrid.gateway.api.ApiRoute.get;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.secondgrid.gateway.settled.Statement;

/**
 * What was really settled on chain for a participant's sites and EVs (the {@code settlement_statement} read model the
 * settlement module writes from its confirmed batches): money and Wh per day with the transactions, and the kWh
 * certificates (ERC-1155, token id = vintage month) with the contract and address to check them with {@code cast}.
 */
final class MoneyRoutes {

    private static final Set<Role> OWNERS = Set.of(Role.PROSUMER, Role.EV_OWNER);
    private static final Set<Role> OWNERS_ADMIN = Set.of(Role.PROSUMER, Role.EV_OWNER, Role.ADMIN);
    static final int MAX_DAYS = 366;
    static final int DEFAULT_DAYS = 31;

    private MoneyRoutes() {
    }

    static List<ApiRoute> routes(ApiServices s) {
        return List.of(
                get("/api/money", OWNERS, req -> money(s, req, () -> req.caller().participantId())),
                get("/api/tokens", OWNERS, req -> tokens(s, req, () -> req.caller().participantId())),
                get("/api/participants/{id}/money", OWNERS_ADMIN, req -> money(s, req, () -> readable(s, req, "money"))),
                get("/api/participants/{id}/tokens", OWNERS_ADMIN, req -> tokens(s, req, () -> readable(s, req, "tokens"))));
    }

    /** The participant of the path after the personal-data gate: the participant itself, or an admin with a purpose (logged). */
    private static String readable(ApiServices s, Req req, String category) {
        String id = req.id("id");
        String owner = s.market().registry().participant(id).isPresent() ? id : null;
        s.personal().read(req, "participant", id, owner, category, null);
        return id;
    }

    /** {@code who} is asked after the query is validated (a refused request writes nothing to the data-access log). */
    private static JsonObject money(ApiServices s, Req req, Supplier<String> who) {
        req.onlyQuery("from", "to", "purpose");
        LocalDate to = req.query("to") == null ? s.market().today() : Fields.day("to", req.query("to"));
        LocalDate from = req.query("from") == null ? to.minusDays(DEFAULT_DAYS - 1) : Fields.day("from", req.query("from"));
        if (to.isBefore(from)) {
            throw ApiException.invalid("to", "to must not be before from (" + from + "), got '" + to + "'");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw ApiException.invalid("to", "from and to may be at most " + MAX_DAYS + " days apart, got from '" + from
                    + "' to '" + to + "'");
        }
        String participantId = who.get();
        Map<String, List<Statement>> byDay = new TreeMap<>();
        for (Statement st : s.statements().ofParticipant(participantId, from, to)) {
            byDay.computeIfAbsent(st.day() + "|" + st.market(), k -> new ArrayList<>()).add(st);
        }
        JsonArray days = new JsonArray();
        Totals all = new Totals();
        for (List<Statement> list : byDay.values()) {
            Totals t = new Totals();
            JsonArray parties = new JsonArray();
            Set<String> txs = new TreeSet<>();
            long lastBlock = -1;
            boolean complete = true;
            for (Statement st : list) {
                t.add(st);
                all.add(st);
                txs.addAll(st.txHashes());
                lastBlock = Math.max(lastBlock, st.lastBlock());
                complete &= "confirmed".equals(st.status());
                parties.add(t.json(new JsonObject().put("party", st.party()).put("kind", st.partyKind())
                        .put("address", st.partyAddress()), st).put("tokenId", st.tokenId())
                        .put("certificateWh", st.certificateWh()).put("txHashes", new JsonArray(st.txHashes()))
                        .put("lastBlock", st.lastBlock()).put("batches", st.batches())
                        .put("unconfirmedBatches", st.unconfirmedBatches()).put("status", st.status())
                        .put("settledAt", st.settledAt().toString()));
            }
            Statement first = list.getFirst();
            days.add(t.json(new JsonObject().put("day", first.day().toString()).put("market", first.market())
                    .put("chainId", first.chainId()).put("coinContract", first.coinContract()), null)
                    .put("txHashes", new JsonArray(List.copyOf(txs))).put("lastBlock", lastBlock)
                    .put("status", complete ? "confirmed" : "partial").put("parties", parties));
        }
        return new JsonObject().put("participantId", participantId).put("from", from.toString()).put("to", to.toString())
                .put("days", days).put("totals", all.json(new JsonObject().put("days", days.size()), null));
    }

    private static JsonObject tokens(ApiServices s, Req req, Supplier<String> who) {
        req.onlyQuery("purpose");
        String participantId = who.get();
        Map<String, JsonObject> holdings = new LinkedHashMap<>();
        long total = 0;
        for (Statement st : s.statements().ofParticipant(participantId, null, null)) {
            if (st.certificateWh() <= 0) {
                continue;
            }
            total += st.certificateWh();
            String key = st.chainId() + "|" + st.certificateContract() + "|" + st.partyAddress() + "|" + st.tokenId();
            JsonObject h = holdings.computeIfAbsent(key, k -> new JsonObject().put("tokenId", st.tokenId())
                    .put("month", String.format("%04d-%02d", st.tokenId() / 100, st.tokenId() % 100))
                    .put("party", st.party()).put("address", st.partyAddress()).put("chainId", st.chainId())
                    .put("contract", st.certificateContract()).put("wh", 0L).put("days", new JsonArray())
                    .put("verify", "cast call --rpc-url $ETH_RPC_URL " + st.certificateContract()
                            + " 'balanceOf(address,uint256)(uint256)' " + st.partyAddress() + " " + st.tokenId()));
            h.put("wh", h.getLong("wh") + st.certificateWh());
            h.getJsonArray("days").add(st.day().toString());
        }
        JsonArray out = new JsonArray();
        holdings.values().forEach(h -> out.add(h.put("kwh", h.getLong("wh") / 1000.0)));
        return new JsonObject().put("participantId", participantId).put("holdings", out).put("totalWh", total)
                .put("note", "certificates minted to you by settled trades (Wh, token id = vintage month yyyymm); the"
                        + " on-chain balance is lower if you transferred some");
    }

    /** Sums of statements. */
    private static final class Totals {
        long whSold;
        long whBought;
        long whCarried;
        long imbalanceWhBought;
        long imbalanceWhSold;
        long certificateWh;
        BigDecimal received = BigDecimal.ZERO;
        BigDecimal paid = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        BigDecimal imbalancePaid = BigDecimal.ZERO;
        BigDecimal imbalanceReceived = BigDecimal.ZERO;

        void add(Statement st) {
            whSold += st.whSold();
            whBought += st.whBought();
            whCarried += st.whCarried();
            imbalanceWhBought += st.imbalanceWhBought();
            imbalanceWhSold += st.imbalanceWhSold();
            certificateWh += st.certificateWh();
            received = received.add(st.jpyReceived());
            paid = paid.add(st.jpyPaid());
            fees = fees.add(st.feesEarnedJpy());
            imbalancePaid = imbalancePaid.add(st.imbalanceJpyPaid());
            imbalanceReceived = imbalanceReceived.add(st.imbalanceJpyReceived());
        }

        /** Puts the figures into {@code o}: the statement's own if given, else these sums. */
        JsonObject json(JsonObject o, Statement st) {
            Totals t = this;
            if (st != null) {
                t = new Totals();
                t.add(st);
            }
            return o.put("whSold", t.whSold).put("whBought", t.whBought).put("whCarried", t.whCarried)
                    .put("imbalanceWhBought", t.imbalanceWhBought).put("imbalanceWhSold", t.imbalanceWhSold)
                    .put("certificateWh", t.certificateWh)
                    .put("jpyReceived", t.received.doubleValue()).put("jpyPaid", t.paid.doubleValue())
                    .put("feesEarnedJpy", t.fees.doubleValue()).put("imbalanceJpyPaid", t.imbalancePaid.doubleValue())
                    .put("imbalanceJpyReceived", t.imbalanceReceived.doubleValue())
                    .put("netJpy", t.received.subtract(t.paid).doubleValue());
        }
    }
}
