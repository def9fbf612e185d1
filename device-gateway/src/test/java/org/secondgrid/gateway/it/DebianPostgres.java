package org.secondgrid.gateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's PostgreSQL (package {@code postgresql}, installed by tools/test-prereqs) started as a plain
 * process on a free port with a temp data directory (no service manager). As root it runs as user postgres.
 */
final class DebianPostgres implements AutoCloseable {

    private final Path bin;
    private final Path data;
    private final int port;
    private final boolean root;

    private DebianPostgres(Path bin, Path data, int port, boolean root) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.root = root;
    }

    static DebianPostgres start() throws Exception {
        Path bin;
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new IllegalStateException("no /usr/lib/postgresql/*/bin/initdb: run tools/test-prereqs"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("Debian's postgresql is not installed: run tools/test-prereqs", e);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path base = Files.createTempDirectory("gw-debian-pg", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = base.resolve("data");
        Files.createDirectories(data);
        if (root) {
            UserPrincipal pg = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(data, pg);
        }
        int port = Mqtt.freePort();
        DebianPostgres p = new DebianPostgres(bin, data, port, root);
        p.run(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                "--no-sync");
        p.run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1", "start");
        return p;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    private void run(String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(cmd));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed: " + out);
        }
    }

    @Override
    public void close() throws Exception {
        run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
        Mqtt.deleteTree(data.getParent());
    }
}
