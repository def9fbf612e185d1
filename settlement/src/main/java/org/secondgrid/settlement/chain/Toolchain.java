package org.secondgrid.settlement.chain;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project-local chain tools (installed by the Maven build with {@code npm ci} into settlement/node_modules). */
public final class Toolchain {

    private final Path moduleDir;

    private Toolchain(Path moduleDir) {
        this.moduleDir = moduleDir;
    }

    /**
     * The settlement module directory: {@code -Dsecondgrid.settlement.dir}, else the working directory, ./settlement or
     * ../settlement (a sibling module's tests, e.g. the simulator's demo, run in their own module directory).
     */
    public static Toolchain locate() {
        String prop = System.getProperty("secondgrid.settlement.dir");
        if (prop != null && !prop.isBlank()) {
            return new Toolchain(Path.of(prop).toAbsolutePath());
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path candidate : new Path[] {cwd, cwd.resolve("settlement"), cwd.resolveSibling("settlement")}) {
            if (Files.isDirectory(candidate.resolve("node_modules/@foundry-rs"))) {
                return new Toolchain(candidate);
            }
        }
        throw new IllegalStateException("chain tools not found under " + cwd + ", " + cwd.resolve("settlement") + " or "
                + cwd.resolveSibling("settlement") + " (node_modules/@foundry-rs): build the settlement module first "
                + "(mvn -pl settlement -am package runs npm ci) or set -Dsecondgrid.settlement.dir");
    }

    public Path moduleDir() {
        return moduleDir;
    }

    public Path anvil() {
        return tool("anvil");
    }

    public Path cast() {
        return tool("cast");
    }

    /** The native binary from the platform package (so killing it by PID stops the chain), else the npm wrapper. */
    private Path tool(String name) {
        String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
        String os = System.getProperty("os.name").toLowerCase().contains("mac") ? "darwin" : "linux";
        Path nativeBin = moduleDir.resolve("node_modules/@foundry-rs/" + name + "-" + os + "-" + arch + "/bin/" + name);
        if (Files.isExecutable(nativeBin)) {
            return nativeBin;
        }
        Path wrapper = moduleDir.resolve("node_modules/.bin/" + name);
        if (Files.isExecutable(wrapper)) {
            return wrapper;
        }
        throw new IllegalStateException(name + " not found at " + nativeBin + " or " + wrapper);
    }
}
