package org.secondgrid.settlement.ledger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.escrow.EscrowCheck;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/** Settles one market day from its solution and metered readings: allocate, (optionally) top up escrow, plan, run. */
public final class DaySettlement {

    /** What a day's settlement did: the allocated records and the day's outbox rows after the run. */
    public record Result(List<LedgerTrade> records, List<OutboxRow> outbox) {
        public long confirmed() {
            return outbox.stream().filter(r -> r.state() == OutboxRow.State.CONFIRMED).count();
        }

        public long failed() {
            return outbox.stream().filter(r -> r.state() == OutboxRow.State.FAILED).count();
        }
    }

    private DaySettlement() {
    }

    /**
     * @param topUpEscrow the platform deposits, for every participant who pays in these records, what its escrow lacks
     *                    (a demo or test convenience: in the market, bids are funded before gate closure, see EscrowCheck)
     */
    public static Result settle(LedgerStore store, Web3j web3j, ChainConfig chain, Credentials operator, Deployment deployment,
                                SettlementService.Options options, double imbalanceJpyPerKwh, SolutionFile solution,
                                MeteredDay metered, boolean topUpEscrow) {
        List<LedgerTrade> records = new Allocator(imbalanceJpyPerKwh).allocate(solution, metered);
        SettlementService service = new SettlementService(store.database(), web3j, chain, deployment, operator, options,
                CrashPoint.Hook.NONE);
        if (topUpEscrow && !store.planned(solution.market(), solution.deliveryDay())) {
            Map<String, Double> needJpy = new HashMap<>();
            SettlementSetup.debits(records).forEach((who, units) -> needJpy.put(who, units / 100.0));
            Map<String, Long> missing = new HashMap<>();
            for (EscrowCheck.Shortfall s : new EscrowCheck(store, web3j, deployment, chain.chainId()).shortfalls(needJpy)) {
                missing.put(s.buyer(), s.missingUnits());
            }
            SettlementSetup.fundEscrow(store, web3j, chain, operator, deployment, missing);
        }
        service.plan(solution.market(), solution.deliveryDay(), records);
        List<OutboxRow> rows = service.run().stream()
                .filter(r -> r.market().equals(solution.market()) && r.day().equals(solution.deliveryDay())).toList();
        return new Result(records, rows);
    }

    /** Without meter readings: every source and buyer measured exactly its schedule. */
    public static MeteredDay asScheduled(SolutionFile s) {
        Map<String, Double> m = new HashMap<>();
        for (SolutionFile.Trade t : s.trades()) {
            m.merge(t.source() + "@" + t.slot(), t.kwhDelivered(), Double::sum);
            m.merge(t.buyer() + "@" + t.slot(), t.kwhDelivered(), Double::sum);
        }
        return new MeteredDay(s.market(), s.deliveryDay(), m.entrySet().stream().map(e -> {
            int at = e.getKey().lastIndexOf('@');
            return new MeteredDay.Reading(e.getKey().substring(0, at), Integer.parseInt(e.getKey().substring(at + 1)), e.getValue());
        }).toList());
    }
}
