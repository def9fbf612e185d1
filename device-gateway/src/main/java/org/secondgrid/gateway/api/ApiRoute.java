package org.secondgrid.gateway.api;

import io.vertx.core.http.HttpMethod;
import java.util.Set;

/**
 * One route of the HTTP API: method, path in OpenAPI form ({@code /api/sites/{id}}), the roles allowed
 * (empty = no login needed) and the handler. The router, the role matrix test and the OpenAPI check
 * all read the same list.
 */
public record ApiRoute(HttpMethod method, String path, Set<Role> roles, Handler handler) {

    /** Runs on a worker thread (JDBC); returns a JSON object/array (200) or a {@link Reply}. */
    @FunctionalInterface
    public interface Handler {
        Object handle(Req req) throws Exception;
    }

    public ApiRoute {
        roles = Set.copyOf(roles);
    }

    public boolean isPublic() {
        return roles.isEmpty();
    }

    /** The path as Vert.x writes it: {@code /api/sites/:id}. */
    public String vertxPath() {
        return path.replaceAll("\\{([^}]+)}", ":$1");
    }

    public static ApiRoute get(String path, Set<Role> roles, Handler h) {
        return new ApiRoute(HttpMethod.GET, path, roles, h);
    }

    public static ApiRoute put(String path, Set<Role> roles, Handler h) {
        return new ApiRoute(HttpMethod.PUT, path, roles, h);
    }

    public static ApiRoute post(String path, Set<Role> roles, Handler h) {
        return new ApiRoute(HttpMethod.POST, path, roles, h);
    }
}
