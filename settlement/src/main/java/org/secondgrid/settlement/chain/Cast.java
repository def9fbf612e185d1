package org.secondgrid.settlement.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads the chain with foundry's {@code cast}, a client independent of web3j (used to cross-check balances). */
public final class Cast {

    private final Toolchain tools;
    private final String rpcUrl;

    public Cast(Toolchain tools, String rpcUrl) {
        this.tools = tools;
        this.rpcUrl = rpcUrl;
    }

    /** {@code cast call TO SIG ARGS...}, first returned value as an integer. */
    public BigInteger callUint(String to, String signature, String... args) {
        String out = run(to, signature, args).trim();
        String first = out.split("\\s+")[0];
        return first.startsWith("0x") ? new BigInteger(first.substring(2), 16) : new BigInteger(first);
    }

    private String run(String to, String signature, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tools.cast().toString(), "call", "--rpc-url", rpcUrl, to, signature));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new ChainException("cast failed: " + String.join(" ", cmd) + ": " + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ChainException("cannot run cast: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted running cast", e);
        }
    }
}
