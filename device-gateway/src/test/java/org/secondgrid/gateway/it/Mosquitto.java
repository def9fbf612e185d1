package org.secondgrid.gateway.it;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.secondgrid.gateway.auth.MosquittoFiles;

/**
 * Debian's Mosquitto (package {@code mosquitto}, installed by tools/test-prereqs) as a plain process on
 * a free 127.0.0.1 port, with the password and ACL files the gateway generates from its registry.
 */
final class Mosquitto implements AutoCloseable {

    private final Process process;
    final int port;

    private Mosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Mosquitto start(Path dir, String passwords, String acl) throws Exception {
        Path exe = Path.of("/usr/sbin/mosquitto");
        if (!Files.isExecutable(exe)) {
            throw new IllegalStateException("Debian's mosquitto is not installed: run tools/test-prereqs");
        }
        Files.createDirectories(dir);
        Path pw = dir.resolve("passwd");
        Path aclFile = dir.resolve("acl");
        MosquittoFiles.write(pw, aclFile, passwords, acl);
        int port = Mqtt.freePort();
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
        Process p = new ProcessBuilder(exe.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        Mosquitto m = new Mosquitto(p, port);
        Mqtt.await(Duration.ofSeconds(30), "mosquitto listening on " + port, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("mosquitto exited: " + read(dir.resolve("mosquitto.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return m;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
