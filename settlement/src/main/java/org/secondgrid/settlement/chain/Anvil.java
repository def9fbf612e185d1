package org.secondgrid.settlement.chain;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A local anvil chain on 127.0.0.1 and a free port, optionally keeping its state in a file ({@code --state}). */
public final class Anvil implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Anvil.class);
    public static final long CHAIN_ID = 31337;

    private final Process process;
    private final int port;

    private Anvil(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts anvil on a free port; {@code stateFile} may be null. Waits until it answers JSON-RPC. */
    public static Anvil start(Toolchain tools, Path stateFile) {
        return start(tools, freePort(), stateFile);
    }

    public static Anvil start(Toolchain tools, int port, Path stateFile) {
        List<String> cmd = new ArrayList<>(List.of(tools.anvil().toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--silent", "--chain-id", Long.toString(CHAIN_ID)));
        if (stateFile != null) {
            cmd.add("--state");
            cmd.add(stateFile.toAbsolutePath().toString());
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Anvil anvil = new Anvil(p, port);
            anvil.awaitReady();
            log.info("anvil pid {} on {}{}", p.pid(), anvil.rpcUrl(), stateFile == null ? "" : " state " + stateFile);
            return anvil;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start anvil: " + cmd, e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(rpcUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("anvil exited with " + process.exitValue() + " before answering on " + rpcUrl());
            }
            try {
                if (http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for anvil", e);
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("anvil did not answer on " + rpcUrl() + " within 30 s");
    }

    /** Stops anvil with SIGTERM (it dumps its --state file on exit) and waits for it. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                log.warn("anvil pid {} did not stop on SIGTERM, killing it", process.pid());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
