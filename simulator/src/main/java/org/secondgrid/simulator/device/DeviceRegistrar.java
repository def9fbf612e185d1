package org.secondgrid.simulator.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers devices and their broker passwords through the gateway's admin API, exactly as an installer would:
 * {@code PUT /api/admin/devices/{id}} (falling back to the older {@code PUT /devices/{id}} when the gateway has no
 * {@code /api} yet) with {@code Authorization: Bearer ADMIN_TOKEN}. Each device gets a fresh random password.
 */
public final class DeviceRegistrar {

    private static final Logger log = LoggerFactory.getLogger(DeviceRegistrar.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String gateway;
    private final String adminToken;
    private volatile Boolean apiAdmin;

    public DeviceRegistrar(String gatewayUrl, String adminToken) {
        this.gateway = gatewayUrl.replaceAll("/+$", "");
        this.adminToken = adminToken;
    }

    /** Registers every device; returns id → password. Unsupported kinds (e.g. {@code weather}) are skipped with a warning. */
    public Map<String, String> registerAll(List<SimDevice> devices) {
        Map<String, String> passwords = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> fs = new ArrayList<>();
            for (SimDevice d : devices) {
                fs.add(pool.submit(() -> {
                    String pw = register(d, HexFormat.of().formatHex(bytes()));
                    if (pw != null) {
                        passwords.put(d.id(), pw);
                    }
                }));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        log.info("registered {} of {} devices at {}", passwords.size(), devices.size(), gateway);
        return passwords;
    }

    private static byte[] bytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * Registers one device; returns its broker password, or null if the gateway does not know the device kind
     * (logged). New devices get the password the gateway generates ({@code PUT /api/admin/devices/{id}}, returned
     * only then); a device that already exists gets {@code password} set through {@code PUT /devices/{id}}.
     */
    public String register(SimDevice d, String password) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "{\"market\":\"%s\",\"siteId\":\"%s\",\"kind\":\"%s\",\"ratedKw\":%s",
                d.market(), d.siteId(), d.kind(), d.ratedKw()));
        if (d.capacityKwh() != null) {
            b.append(",\"capacityKwh\":").append(d.capacityKwh());
        }
        String admin = b + "}";
        String legacy = b + ",\"password\":\"" + password + "\"}";
        try {
            if (!Boolean.FALSE.equals(apiAdmin)) {
                HttpResponse<String> r = put("/api/admin/devices/" + d.id(), admin);
                if (r.statusCode() == 404 && !Boolean.TRUE.equals(apiAdmin) && !r.body().contains("\"code\"")) {
                    apiAdmin = false;
                } else if (r.statusCode() / 100 == 2) {
                    apiAdmin = true;
                    JsonNode n = JSON.readTree(r.body());
                    if (n.path("created").asBoolean(false) && n.hasNonNull("password")) {
                        return n.path("password").asText();
                    }
                    if ("weather".equals(d.kind())) {
                        log.warn("weather provider {} already exists and its password is only shown when it is created:"
                                + " its forecasts are not published in this run", d.id());
                        return null;
                    }
                } else {
                    return refused(d, r) ? password : null;
                }
            }
            HttpResponse<String> r = put("/devices/" + d.id(), legacy);
            return r.statusCode() / 100 == 2 || refused(d, r) ? password : null;
        } catch (IOException e) {
            throw new IllegalStateException("gateway " + gateway + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private boolean refused(SimDevice d, HttpResponse<String> r) {
        if (r.statusCode() == 400 && r.body().contains("kind") && r.body().contains(d.kind())) {
            log.warn("gateway does not accept device kind '{}' yet ({}): {} is not simulated", d.kind(), r.body(), d.id());
            return false;
        }
        throw new IllegalStateException("gateway refused device " + d.id() + ": HTTP " + r.statusCode() + " " + r.body());
    }

    private HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
