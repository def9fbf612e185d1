package org.secondgrid.settlement.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The single transaction manager of one account on one chain: signs raw transactions with an EXPLICIT nonce (the
 * caller owns nonce allocation, persisted in the outbox), broadcasts them and looks receipts up by hash. A re-send
 * after a crash broadcasts the identical signed bytes, so it is the same transaction (same hash, same nonce).
 */
public final class AccountTxManager {

    private static final Logger log = LoggerFactory.getLogger(AccountTxManager.class);
    private static final Map<String, AccountTxManager> BY_ACCOUNT = new ConcurrentHashMap<>();

    private final Web3j web3j;
    private final Credentials credentials;
    private final long chainId;

    private AccountTxManager(Web3j web3j, Credentials credentials, long chainId) {
        this.web3j = web3j;
        this.credentials = credentials;
        this.chainId = chainId;
    }

    /** One manager per (chain id, account); a later call for the same account returns the same manager. */
    public static AccountTxManager of(Web3j web3j, Credentials credentials, long chainId) {
        String key = chainId + ":" + credentials.getAddress().toLowerCase();
        return BY_ACCOUNT.compute(key, (k, existing) ->
                existing != null && existing.web3j == web3j ? existing : new AccountTxManager(web3j, credentials, chainId));
    }

    /** A signed transaction: its hash, nonce and raw bytes (hex) exactly as broadcast. */
    public record SignedTx(String hash, long nonce, String raw) {
    }

    public String address() {
        return credentials.getAddress();
    }

    public synchronized SignedTx sign(long nonce, String to, String data, BigInteger gasLimit, BigInteger gasPrice) {
        RawTransaction tx = RawTransaction.createTransaction(BigInteger.valueOf(nonce), gasPrice, gasLimit, to, BigInteger.ZERO, data);
        byte[] signed = TransactionEncoder.signMessage(tx, chainId, credentials);
        return new SignedTx(Numeric.toHexString(Hash.sha3(signed)), nonce, Numeric.toHexString(signed));
    }

    /** Broadcasts the signed bytes; "already known" / "nonce too low" are not errors (the tx may be in or mined). */
    public void broadcast(SignedTx tx) {
        try {
            EthSendTransaction r = web3j.ethSendRawTransaction(tx.raw()).send();
            if (r.hasError()) {
                String msg = r.getError().getMessage();
                String m = msg == null ? "" : msg.toLowerCase();
                if (m.contains("already") || m.contains("nonce too low") || m.contains("known")) {
                    log.info("tx {} (nonce {}) not re-broadcast: {}", tx.hash(), tx.nonce(), msg);
                    return;
                }
                throw new ChainException("eth_sendRawTransaction of " + tx.hash() + " (nonce " + tx.nonce() + ") failed: " + msg);
            }
            if (r.getTransactionHash() != null && !r.getTransactionHash().equalsIgnoreCase(tx.hash())) {
                throw new ChainException("node returned hash " + r.getTransactionHash() + ", expected " + tx.hash());
            }
        } catch (IOException e) {
            throw new ChainException("eth_sendRawTransaction of " + tx.hash() + " failed: " + e.getMessage(), e);
        }
    }

    public Optional<TransactionReceipt> receipt(String hash) {
        try {
            return web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
        } catch (IOException e) {
            throw new ChainException("eth_getTransactionReceipt " + hash + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether the node knows the transaction (pending or mined). */
    public boolean known(String hash) {
        try {
            return web3j.ethGetTransactionByHash(hash).send().getTransaction().isPresent();
        } catch (IOException e) {
            throw new ChainException("eth_getTransactionByHash " + hash + " failed: " + e.getMessage(), e);
        }
    }

    /** The account's next nonce on chain (mined transactions only). */
    public long minedNonce() {
        try {
            return web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.LATEST).send().getTransactionCount().longValueExact();
        } catch (IOException e) {
            throw new ChainException("eth_getTransactionCount failed: " + e.getMessage(), e);
        }
    }

    public long pendingNonce() {
        try {
            return web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.PENDING).send().getTransactionCount().longValueExact();
        } catch (IOException e) {
            throw new ChainException("eth_getTransactionCount failed: " + e.getMessage(), e);
        }
    }

    public BigInteger estimateGas(String to, String data) {
        try {
            EthEstimateGas r = web3j.ethEstimateGas(Transaction.createEthCallTransaction(address(), to, data)).send();
            if (r.hasError()) {
                throw new ChainException("eth_estimateGas to " + to + " failed: " + r.getError().getMessage()
                        + (r.getError().getData() == null ? "" : " data " + r.getError().getData()));
            }
            return r.getAmountUsed();
        } catch (IOException e) {
            throw new ChainException("eth_estimateGas failed: " + e.getMessage(), e);
        }
    }

    /**
     * A legacy gas price that is mined at once: twice the latest block's base fee plus a 1 gwei tip. (Not a multiple
     * of eth_gasPrice: a node that derives its suggestion from recent transactions' prices would feed back into it.)
     */
    public BigInteger gasPrice() {
        try {
            var block = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
            BigInteger base = block.getBaseFeePerGas() == null ? web3j.ethGasPrice().send().getGasPrice() : block.getBaseFeePerGas();
            return base.multiply(BigInteger.TWO).add(BigInteger.valueOf(1_000_000_000L));
        } catch (IOException e) {
            throw new ChainException("eth_getBlockByNumber failed: " + e.getMessage(), e);
        }
    }

    public long blockNumber() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        } catch (IOException e) {
            throw new ChainException("eth_blockNumber failed: " + e.getMessage(), e);
        }
    }
}
