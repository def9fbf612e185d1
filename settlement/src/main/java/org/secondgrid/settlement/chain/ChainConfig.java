package org.secondgrid.settlement.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.web3j.crypto.Credentials;

/**
 * How to reach the chain and sign as the platform operator. Keys are never in code, logs or the repository:
 * {@code SETTLEMENT_OPERATOR_KEY} (hex) or {@code SETTLEMENT_OPERATOR_KEY_FILE} (a file holding it); only on the
 * local development chain (chain id 31337) does an absent key fall back to anvil's public dev account 0.
 *
 * @param rpcUrl        JSON-RPC endpoint ({@code ETH_RPC_URL}); null = start a local anvil
 * @param chainId       {@code ETH_CHAIN_ID}, default 31337 (anvil)
 * @param confirmations blocks after the mined one before a batch counts as confirmed ({@code SETTLEMENT_CONFIRMATIONS}, default 0)
 * @param pollMillis    receipt polling interval ({@code SETTLEMENT_POLL_MS}, default 100)
 */
public record ChainConfig(String rpcUrl, long chainId, int confirmations, long pollMillis, String operatorKey) {

    public ChainConfig {
        if (chainId <= 0) {
            throw new IllegalArgumentException("ETH_CHAIN_ID must be > 0, was " + chainId);
        }
        if (confirmations < 0) {
            throw new IllegalArgumentException("SETTLEMENT_CONFIRMATIONS must be >= 0, was " + confirmations);
        }
        if (pollMillis <= 0) {
            throw new IllegalArgumentException("SETTLEMENT_POLL_MS must be > 0, was " + pollMillis);
        }
    }

    public static ChainConfig local(String rpcUrl) {
        return new ChainConfig(rpcUrl, Anvil.CHAIN_ID, 0, 20, null);
    }

    public static ChainConfig fromEnv(Map<String, String> env) {
        String key = env.get("SETTLEMENT_OPERATOR_KEY");
        String keyFile = env.get("SETTLEMENT_OPERATOR_KEY_FILE");
        if ((key == null || key.isBlank()) && keyFile != null && !keyFile.isBlank()) {
            try {
                key = Files.readString(Path.of(keyFile)).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException("SETTLEMENT_OPERATOR_KEY_FILE cannot be read: " + keyFile, e);
            }
        }
        return new ChainConfig(blankToNull(env.get("ETH_RPC_URL")),
                parseLong(env, "ETH_CHAIN_ID", Anvil.CHAIN_ID),
                (int) parseLong(env, "SETTLEMENT_CONFIRMATIONS", 0),
                parseLong(env, "SETTLEMENT_POLL_MS", 100),
                blankToNull(key));
    }

    /** The operator's credentials; anvil's public dev account 0 only on the local chain id. */
    public Credentials operator() {
        if (operatorKey != null) {
            return Credentials.create(operatorKey);
        }
        if (chainId == Anvil.CHAIN_ID) {
            return DevAccounts.get(0);
        }
        throw new IllegalArgumentException("ETH_CHAIN_ID is " + chainId
                + ": set SETTLEMENT_OPERATOR_KEY or SETTLEMENT_OPERATOR_KEY_FILE (dev keys are for the local chain only)");
    }

    public ChainConfig withRpcUrl(String url) {
        return new ChainConfig(url, chainId, confirmations, pollMillis, operatorKey);
    }

    public ChainConfig withConfirmations(int n) {
        return new ChainConfig(rpcUrl, chainId, n, pollMillis, operatorKey);
    }

    @Override
    public String toString() { // never print the key
        return "ChainConfig[rpcUrl=" + rpcUrl + ", chainId=" + chainId + ", confirmations=" + confirmations
                + ", pollMillis=" + pollMillis + ", operatorKey=" + (operatorKey == null ? "none" : "***") + "]";
    }

    private static long parseLong(Map<String, String> env, String name, long dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, was '" + v + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
