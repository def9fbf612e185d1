package org.secondgrid.gateway.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Starts {@code GatewayMain} as a separate {@code java} process on the test classpath (so it can be SIGKILLed). */
final class ChildGateway {

    private ChildGateway() {
    }

    static Process start(Path dir, String id, String databaseUrl, String mqttUrl, String password) throws Exception {
        Path out = dir.resolve(id + "-" + System.nanoTime() + ".out");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "org.secondgrid.gateway.app.GatewayMain");
        pb.environment().put("DATA_DIR", dir.resolve(id).toString());
        pb.environment().put("DATABASE_URL", databaseUrl);
        pb.environment().put("MQTT_URL", mqttUrl);
        pb.environment().put("MQTT_USERNAME", "gateway");
        pb.environment().put("MQTT_PASSWORD", password);
        pb.environment().put("GATEWAY_ID", id);
        pb.environment().put("INFLUX_URL", "off");
        pb.environment().put("HTTP_PORT", "0");
        pb.environment().put("SLOT_REFRESH_MS", "500");
        pb.redirectOutput(out.toFile());
        pb.redirectError(new File(out + ".err"));
        Process p = pb.start();
        Mqtt.await(Duration.ofSeconds(90), "gateway " + id + " ready", () -> {
            if (!p.isAlive()) {
                throw new AssertionError("gateway " + id + " exited: see " + out + ".err");
            }
            try {
                return Files.readString(out).contains("GATEWAY READY");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return p;
    }
}
