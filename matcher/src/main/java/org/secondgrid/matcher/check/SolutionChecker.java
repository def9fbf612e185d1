package org.secondgrid.matcher.check;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;

/**
 * The second opinion: re-verifies a solution from the instance alone, without any solver code. Checks every
 * hard constraint of the model contract, recomputes welfare, pools (V, C, F, S), individual rationality and each
 * pool's money balance, the FIFO trade records and the curtailed/unmet totals, and reports each violation with
 * ids and numbers. Runs in linear passes over (site, slot) arrays.
 */
public final class SolutionChecker {

    /** Every rule name the checker reports (stable; see the package documentation for what each checks). */
    public static final List<String> RULES = List.of(
            "offer-limit", "bid-limit", "export-limit", "feeder-reverse", "charge-power", "discharge-power", "ports",
            "battery-min", "battery-traded-negative", "battery-capacity", "battery-end-empty", "travel",
            "availability", "stop-order", "charge-and-discharge", "unknown-reference", "duplicate", "grid-self",
            "slot-range", "negative-energy", "pool-values", "pool-surplus", "pool-balance", "individual-rationality",
            "fee-payee", "pool-split", "trades", "welfare", "totals", "header");

    private SolutionChecker() {
    }

    public static CheckReport check(Instance in, Solution s) {
        InstanceIndex x = new InstanceIndex(in);
        Violations out = new Violations();
        header(in, s, out);
        Ledger ledger = new Ledger(x);
        new ScheduleReader(x, ledger, out).read(s);
        LimitChecks.run(x, ledger, out);
        BatteryChecks.run(x, ledger, out);
        Map<String, PoolCalc> pools = PoolChecks.recompute(x, ledger);
        PoolChecks.run(pools, s, out);
        TradeChecks.run(x, ledger, s.trades(), out);
        int records = ledger.energyRecords + ledger.itineraryRecords;
        double welfare = welfare(x, ledger);
        if (Fmt.differs(s.welfareJpy(), welfare, Fmt.jpyTol(records))) {
            out.add("welfare", "welfareJpy " + Fmt.jpy(s.welfareJpy()) + " != recomputed W " + Fmt.jpy(welfare)
                    + " JPY (tolerance " + Fmt.jpy(Fmt.jpyTol(records)) + " JPY for " + records + " records)");
        }
        totals(x, ledger, s, out);
        return new CheckReport(out.list, welfare, s.welfareJpy(), records);
    }

    private static void header(Instance in, Solution s, Violations out) {
        if (s.modelVersion() != Instance.MODEL_VERSION) {
            out.add("header", "modelVersion " + s.modelVersion() + " != " + Instance.MODEL_VERSION);
        }
        if (!Objects.equals(s.market(), in.market())) {
            out.add("header", "market '" + s.market() + "' != instance market '" + in.market() + "'");
        }
        if (!Objects.equals(s.deliveryDay(), in.deliveryDay())) {
            out.add("header", "deliveryDay " + s.deliveryDay() + " != instance deliveryDay " + in.deliveryDay());
        }
    }

    /** W = Σ bid·got − Σ ask·sold − gridFee·Σg − Σ_v (feeJpyPerKwh·Σe + feeJpyPerKm·km). */
    static double welfare(InstanceIndex x, Ledger l) {
        double w = 0;
        for (int c = 0; c < l.sold.length; c++) {
            w += x.bidJpy[c] * l.got[c] - x.askJpy[c] * l.sold[c];
        }
        w -= x.in.gridFeeJpyPerKwh() * l.gridTotalKwh();
        for (EvPlan plan : l.planList) {
            w -= plan.ev.feeJpyPerKwh() * plan.dischargedKwh() + plan.ev.feeJpyPerKm() * plan.km;
        }
        return w;
    }

    private static void totals(InstanceIndex x, Ledger l, Solution s, Violations out) {
        double sold = 0;
        double got = 0;
        for (int c = 0; c < l.sold.length; c++) {
            sold += l.sold[c];
            got += l.got[c];
        }
        double tol = Fmt.kwhTol(l.energyRecords + 1);
        double curtailed = x.offersTotalKwh - sold;
        double unmet = x.bidsTotalKwh - got;
        if (Fmt.differs(s.curtailedKwh(), curtailed, tol)) {
            out.add("totals", "curtailedKwh " + Fmt.kwh(s.curtailedKwh()) + " != recomputed " + Fmt.kwh(curtailed)
                    + " (offers " + Fmt.kwh(x.offersTotalKwh) + " - sold " + Fmt.kwh(sold) + ")");
        }
        if (Fmt.differs(s.unmetKwh(), unmet, tol)) {
            out.add("totals", "unmetKwh " + Fmt.kwh(s.unmetKwh()) + " != recomputed " + Fmt.kwh(unmet)
                    + " (bids " + Fmt.kwh(x.bidsTotalKwh) + " - got " + Fmt.kwh(got) + ")");
        }
    }
}
