package org.secondgrid.settlement.chain;

import java.math.BigInteger;
import org.secondgrid.settlement.contracts.generated.RegionalCoin;
import org.secondgrid.settlement.contracts.generated.Settlement;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Addresses of one deployment: the regional coin and the settlement contract, which also holds the kWh certificates
 * (ERC-1155; {@code certificate} is the settlement contract's address, kept as its own field for the ledger table).
 */
public record Deployment(String coin, String certificate, String settlement) {

    /** Gas for the wrapper calls used in setup and tests (settle batches go through {@link AccountTxManager}). */
    public static ContractGasProvider gas() {
        return new StaticGasProvider(BigInteger.valueOf(3_000_000_000L), BigInteger.valueOf(29_000_000));
    }

    /** A wrapper transaction manager for {@code who} that polls receipts every 20 ms (web3j's default is 15 s). */
    public static TransactionManager txManager(Web3j web3j, Credentials who, long chainId) {
        return new RawTransactionManager(web3j, who, chainId, new PollingTransactionReceiptProcessor(web3j, 20, 1500));
    }

    /** Deploys coin and settlement (with its certificates) with {@code operator} as operator and admin. */
    public static Deployment deploy(Web3j web3j, Credentials operator, long chainId, String gridOperator) {
        TransactionManager tm = txManager(web3j, operator, chainId);
        try {
            RegionalCoin coin = RegionalCoin.deploy(web3j, tm, gas(), operator.getAddress()).send();
            Settlement settlement = Settlement.deploy(web3j, tm, gas(), coin.getContractAddress(), operator.getAddress(),
                    gridOperator).send();
            return new Deployment(coin.getContractAddress(), settlement.getContractAddress(), settlement.getContractAddress());
        } catch (Exception e) {
            throw new ChainException("deployment failed: " + e.getMessage(), e);
        }
    }

    public RegionalCoin coin(Web3j web3j, Credentials who, long chainId) {
        return RegionalCoin.load(coin, web3j, txManager(web3j, who, chainId), gas());
    }

    public Settlement settlement(Web3j web3j, Credentials who, long chainId) {
        return Settlement.load(settlement, web3j, txManager(web3j, who, chainId), gas());
    }
}
