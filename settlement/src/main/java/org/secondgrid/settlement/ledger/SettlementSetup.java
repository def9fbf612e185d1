package org.secondgrid.settlement.ledger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.chain.ChainException;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.contracts.generated.RegionalCoin;
import org.secondgrid.settlement.contracts.generated.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Wiring shared by the CLI, the benchmark and the tests: the deployment of a chain, escrow top-ups. */
public final class SettlementSetup {

    private static final Logger log = LoggerFactory.getLogger(SettlementSetup.class);
    public static final String GRID_OPERATOR = "grid-operator";

    private SettlementSetup() {
    }

    /** The deployment recorded for the chain id (if its code is still there), else a fresh one, recorded. */
    public static Deployment ensureDeployment(LedgerStore store, Web3j web3j, ChainConfig config, Credentials operator) {
        var known = store.deployment(config.chainId());
        if (known.isPresent()) {
            try {
                String code = web3j.ethGetCode(known.get().settlement(), org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getCode();
                if (code != null && code.length() > 2) {
                    return known.get();
                }
            } catch (java.io.IOException e) {
                throw new ChainException("eth_getCode failed: " + e.getMessage(), e);
            }
            log.warn("recorded contracts at {} are gone from chain {} (fresh chain?): deploying again", known.get().settlement(), config.chainId());
        }
        String gridOperator = store.addresses(List.of(GRID_OPERATOR)).get(GRID_OPERATOR);
        Deployment d = Deployment.deploy(web3j, operator, config.chainId(), gridOperator);
        store.saveDeployment(config.chainId(), d);
        log.info("deployed coin {} certificate {} settlement {}", d.coin(), d.certificate(), d.settlement());
        return d;
    }

    /** What each buyer pays in the given records (coin units): the escrow it needs. */
    public static Map<String, Long> debits(List<LedgerTrade> trades) {
        Map<String, Long> m = new TreeMap<>();
        for (LedgerTrade t : trades) {
            m.merge(t.buyer(), t.amount() + t.fee(), Long::sum);
        }
        return m;
    }

    /**
     * The platform tops up participants' escrow (as if they paid yen in): mints the coins to the operator, approves the
     * settlement contract and calls depositFor in chunks; every deposit is recorded in the ledger.
     */
    public static void fundEscrow(LedgerStore store, Web3j web3j, ChainConfig config, Credentials operator, Deployment d,
                                  Map<String, Long> amounts) {
        if (amounts.isEmpty()) {
            return;
        }
        Map<String, String> addr = store.addresses(amounts.keySet());
        long total = amounts.values().stream().mapToLong(Long::longValue).sum();
        RegionalCoin coin = d.coin(web3j, operator, config.chainId());
        Settlement settlement = d.settlement(web3j, operator, config.chainId());
        try {
            coin.mint(operator.getAddress(), BigInteger.valueOf(total)).send();
            coin.approve(d.settlement(), BigInteger.valueOf(total)).send();
            List<String> ids = new ArrayList<>(amounts.keySet());
            for (int i = 0; i < ids.size(); i += 400) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 400));
                TransactionReceipt r = settlement.depositFor(chunk.stream().map(addr::get).toList(),
                        chunk.stream().map(id -> BigInteger.valueOf(amounts.get(id))).toList()).send();
                Map<String, Long> recorded = new TreeMap<>();
                chunk.forEach(id -> recorded.put(id, amounts.get(id)));
                store.recordDeposits(recorded, r.getTransactionHash());
            }
        } catch (Exception e) {
            throw new ChainException("escrow top-up failed: " + e.getMessage(), e);
        }
    }
}
