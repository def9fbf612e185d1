package org.secondgrid.gateway.auth;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.secondgrid.gateway.store.DeviceRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded HiveMQ CE broker bound to 127.0.0.1, file persistence under the data folder, with the
 * {@link DeviceAuthExtension} so that only registered devices connect and each publishes only on its topic.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final EmbeddedHiveMQ hivemq;
    private final int port;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, int port) {
        this.hivemq = hivemq;
        this.port = port;
    }

    public static EmbeddedBroker start(Path dataDir, int port, DeviceRepository devices, String serviceUser,
                                       String servicePassword) {
        try {
            Path root = dataDir.resolve("hivemq");
            Path conf = Files.createDirectories(root.resolve("conf"));
            Path data = Files.createDirectories(root.resolve("data"));
            Path ext = Files.createDirectories(root.resolve("extensions"));
            Files.writeString(conf.resolve("config.xml"), """
                    <?xml version="1.0"?>
                    <hivemq>
                        <listeners>
                            <tcp-listener>
                                <port>%d</port>
                                <bind-address>127.0.0.1</bind-address>
                            </tcp-listener>
                        </listeners>
                        <persistence><mode>%s</mode></persistence>
                        <mqtt>
                            <queued-messages>
                                <max-queue-size>2000000</max-queue-size>
                                <strategy>discard</strategy>
                            </queued-messages>
                            <session-expiry><max-interval>4294967295</max-interval></session-expiry>
                        </mqtt>
                        <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                    </hivemq>
                    """.formatted(port, persistence()));
            // HiveMQ sends a subscriber at most 50 unacknowledged QoS 1 messages by default; the gateway acks
            // only after a batch commit, so it needs a window as large as its batches to keep the stream going.
            InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = 10_000;
            InternalConfigurations.PUBLISH_POLL_BATCH_SIZE = 1_000;
            EmbeddedExtension extension = EmbeddedExtension.builder()
                    .withId("secondgrid-device-auth")
                    .withName("SecondGrid device authentication")
                    .withVersion("1")
                    .withPriority(1000)
                    .withStartPriority(1000)
                    .withExtensionMain(new DeviceAuthExtension(devices, serviceUser, servicePassword))
                    .build();
            EmbeddedHiveMQ h = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(data)
                    .withExtensionsFolder(ext)
                    .withEmbeddedExtension(extension)
                    .withoutLoggingBootstrap()
                    .build();
            h.start().get(120, TimeUnit.SECONDS);
            log.info("MQTT broker: embedded HiveMQ CE on 127.0.0.1:{}, data in {}", port, data);
            return new EmbeddedBroker(h, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare HiveMQ folders under " + dataDir + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("embedded HiveMQ did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** {@code file} (default) or {@code in-memory} from {@code MQTT_PERSISTENCE}. */
    static String persistence() {
        String p = System.getenv().getOrDefault("MQTT_PERSISTENCE", "file");
        if (!p.equals("file") && !p.equals("in-memory")) {
            throw new IllegalArgumentException("MQTT_PERSISTENCE must be file or in-memory, got '" + p + "'");
        }
        return p;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            hivemq.stop().get(60, TimeUnit.SECONDS);
            hivemq.close();
        } catch (Exception e) {
            log.warn("embedded HiveMQ did not stop cleanly: {}", e.toString());
        }
    }
}
