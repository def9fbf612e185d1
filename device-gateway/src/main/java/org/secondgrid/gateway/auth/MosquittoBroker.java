package org.secondgrid.gateway.auth;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto ({@code /usr/sbin/mosquitto}) run as a child process on 127.0.0.1 with the
 * password and ACL files generated from the device registry ({@link MosquittoFiles}); used by the
 * benchmark and the integration tests. A production Mosquitto is pointed at with {@code MQTT_URL} and
 * given the same generated files.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final Path EXE = Path.of("/usr/sbin/mosquitto");

    private final Process process;
    private final int port;

    private MosquittoBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(EXE);
    }

    public static MosquittoBroker start(Path dir, String passwords, String acl) throws IOException, InterruptedException {
        if (!installed()) {
            throw new IllegalStateException("Debian's mosquitto is not installed (" + EXE + "): run tools/test-prereqs");
        }
        Files.createDirectories(dir);
        Path pw = dir.resolve("passwd");
        Path aclFile = dir.resolve("acl");
        MosquittoFiles.write(pw, aclFile, passwords, acl);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + pw,
                "acl_file " + aclFile,
                "persistence true",
                "persistence_location " + dir + "/",
                "max_queued_messages 0",
                "max_inflight_messages 0",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "root".equals(System.getProperty("user.name")) ? "user root" : "",
                ""));
        Path log = dir.resolve("mosquitto.log");
        Process p = new ProcessBuilder(EXE.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + Files.readString(log));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    p.destroyForcibly();
                    throw new IllegalStateException("mosquitto did not listen on " + port + " within 30 s");
                }
                Thread.sleep(50);
            }
        }
        return new MosquittoBroker(p, port);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
