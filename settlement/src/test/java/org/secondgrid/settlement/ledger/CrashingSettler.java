package org.secondgrid.settlement.ledger;

import java.util.List;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.chain.Deployment;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Test-only process: works the outbox of a ledger database against a chain and HALTS the JVM (no finally blocks, no
 * shutdown hooks: like kill -9) at the given crash point of the given settlementId.
 * Args: rpcUrl databaseUrl crashPoint settlementId.
 */
public final class CrashingSettler {

    public static final int HALT_CODE = 137;

    private CrashingSettler() {
    }

    public static void main(String[] args) {
        String rpc = args[0];
        CrashPoint point = CrashPoint.valueOf(args[2]);
        String victim = args[3];
        Database db = Database.external(args[1]);
        Web3j web3j = Web3j.build(new HttpService(rpc));
        ChainConfig config = ChainConfig.local(rpc);
        LedgerStore store = new LedgerStore(db);
        Deployment d = store.deployment(config.chainId()).orElseThrow();
        CrashPoint.Hook hook = (p, id) -> {
            if (p == point && id.equals(victim)) {
                Runtime.getRuntime().halt(HALT_CODE);
            }
        };
        List<OutboxRow> rows = new SettlementService(db, web3j, config, d, config.operator(),
                new SettlementService.Options(40, 60_000), hook).run();
        System.exit(rows.stream().allMatch(r -> r.state() == OutboxRow.State.CONFIRMED) ? 0 : 1);
    }
}
