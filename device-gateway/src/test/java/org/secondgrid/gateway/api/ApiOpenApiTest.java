package org.secondgrid.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.secondgrid.gateway.auth.TokenService;

/** The served OpenAPI document is valid OpenAPI 3 and lists exactly the router's routes (both ways). */
class ApiOpenApiTest {

    static Vertx vertx;
    static OpenAPIContract contract;

    @BeforeAll
    static void load() throws Exception {
        vertx = Vertx.vertx();
        // OpenAPIContract.from validates the document against the OpenAPI 3 meta-schema and fails if it is not valid
        contract = OpenAPIContract.from(vertx, "openapi.yaml").toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void close() {
        vertx.close();
    }

    /** METHOD path, with Vert.x's :param written as {param}. */
    static Set<String> routerRoutes() {
        ApiServices none = new ApiServices(null, null, null, null, null, null, null, null, null, null, null, null, null);
        Router router = HttpApi.router(vertx, none, new TokenService(vertx, null, 10), "admin-token-for-test");
        Set<String> out = new TreeSet<>();
        for (Route r : router.getRoutes()) {
            String path = r.getPath();
            if (path == null || r.methods() == null || path.equals("/") || path.startsWith("/ui")) {
                continue; // body handler, failure handler, the web UI's static files and its redirect
            }
            for (var m : r.methods()) {
                out.add(m.name() + " " + path.replaceAll(":([A-Za-z]+)", "{$1}"));
            }
        }
        return out;
    }

    static Set<String> documentOperations() {
        Set<String> out = new TreeSet<>();
        for (Operation op : contract.operations()) {
            out.add(op.getHttpMethod().name() + " " + op.getOpenAPIPath());
        }
        return out;
    }

    /** How many operations the document has (for ApiRolesIT: every one is in its matrix). */
    static int documentOperationsCount() {
        Vertx v = Vertx.vertx();
        try {
            return OpenAPIContract.from(v, "openapi.yaml").toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS).operations().size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            v.close();
        }
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() {
        Set<String> routes = routerRoutes();
        Set<String> documented = documentOperations();
        assertThat(routes).as("routes not in openapi.yaml").isSubsetOf(documented);
        assertThat(documented).as("operations in openapi.yaml without a route").isSubsetOf(routes);
        assertThat(routes).contains("POST /api/login", "GET /api/sites/{id}/metered", "POST /api/jobs/{jobId}/accept",
                "GET /health", "PUT /devices/{id}", "GET /api/money", "GET /api/tokens", "POST /api/logout",
                "POST /api/admin/participants/{id}/revoke-tokens");
    }

    @Test
    void theValidatorRefusesABrokenDocument() throws Exception {
        java.nio.file.Path broken = java.nio.file.Files.createTempFile("broken-openapi", ".yaml");
        try {
            // the served document without its info object, which OpenAPI 3 requires
            String doc = SystemRoutes.resource("/openapi.yaml").replaceFirst("(?s)\ninfo:.*?\nservers:", "\nservers:");
            java.nio.file.Files.writeString(broken, doc);
            var result = OpenAPIContract.from(vertx, broken.toString()).toCompletionStage().toCompletableFuture();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> result.get(60, TimeUnit.SECONDS))
                    .hasMessageContaining("contract is invalid").hasRootCauseMessage(
                            "Instance does not have required property \"info\"");
        } finally {
            java.nio.file.Files.deleteIfExists(broken);
        }
    }

    @Test
    void theDocumentIsOpenApi3WithBearerSecurity() {
        assertThat(contract.getVersion().name()).startsWith("V3");
        assertThat(contract.getRawContract().getJsonObject("components").getJsonObject("securitySchemes")
                .getJsonObject("bearer").getString("scheme")).isEqualTo("bearer");
        assertThat(contract.operations()).hasSizeGreaterThan(40);
    }
}
