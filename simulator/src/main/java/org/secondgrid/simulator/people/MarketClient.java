package org.secondgrid.simulator.people;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The market's REST API as people use it (paths of the session contracts): admin calls with the admin token,
 * participants' calls with the JWT from {@code POST /api/login}. Errors carry the HTTP status and body.
 */
public final class MarketClient {

    /** An HTTP error answer. */
    public static final class ApiException extends RuntimeException {
        public final int status;

        ApiException(String what, int status, String body) {
            super(what + ": HTTP " + status + " " + body);
            this.status = status;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String adminToken;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> passwords = new ConcurrentHashMap<>();

    public MarketClient(String gatewayUrl, String adminToken) {
        this.base = gatewayUrl.replaceAll("/+$", "");
        this.adminToken = adminToken;
    }

    public JsonNode admin(String method, String path, Object body) {
        return call(method, path, body, adminToken);
    }

    /** Remembers a participant's password for logging in later. */
    public void credentials(String participantId, String password) {
        passwords.put(participantId, password);
    }

    /** A call as the participant (logs in once, again after a 401). */
    public JsonNode as(String participantId, String method, String path, Object body) {
        try {
            return call(method, path, body, token(participantId));
        } catch (ApiException e) {
            if (e.status != 401) {
                throw e;
            }
            tokens.remove(participantId);
            return call(method, path, body, token(participantId));
        }
    }

    private String token(String participantId) {
        return tokens.computeIfAbsent(participantId, p -> {
            String pw = passwords.get(p);
            if (pw == null) {
                throw new IllegalStateException("no password for participant " + p);
            }
            return call("POST", "/api/login", Map.of("participantId", p, "password", pw), null).path("token").asText();
        });
    }

    private JsonNode call(String method, String path, Object body, String bearer) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .header("content-type", "application/json");
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new ApiException(method + " " + path, r.statusCode(), r.body());
            }
            return r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + base + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
