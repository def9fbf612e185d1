package org.secondgrid.gateway.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.secondgrid.gateway.auth.TokenRevocations;
import org.secondgrid.gateway.auth.TokenService;
import org.secondgrid.gateway.market.MarketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Vert.x router from the route list: body limit, bearer authentication (JWT or
 * {@code ADMIN_TOKEN}), role check (401 without a valid token, 403 with a role the route does not
 * allow), the handler on a worker thread, and JSON errors {@code {code, message, field}} for
 * everything, including 404, 405 and 500.
 */
public final class ApiRouter {

    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);
    private static final String CALLER = "caller";

    private ApiRouter() {
    }

    public static Router build(Vertx vertx, List<ApiRoute> routes, TokenService tokens, String adminToken) {
        return build(vertx, routes, tokens, null, adminToken);
    }

    /** With {@code revocations} (null = none), checked for every JWT on a worker thread before the role check. */
    public static Router build(Vertx vertx, List<ApiRoute> routes, TokenService tokens, TokenRevocations revocations,
                               String adminToken) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(256 * 1024).setHandleFileUploads(false));
        for (ApiRoute r : routes) {
            router.route(r.method(), r.vertxPath())
                    .handler(ctx -> authenticate(ctx, r, tokens, revocations, adminToken))
                    .blockingHandler(ctx -> run(ctx, r), false);
        }
        router.route().failureHandler(ApiRouter::failure);
        router.errorHandler(404, ctx -> send(ctx, 404, ApiException.body("NOT_FOUND",
                "no such resource: " + ctx.request().method() + " " + ctx.request().path(), null)));
        router.errorHandler(405, ctx -> send(ctx, 405, ApiException.body("METHOD_NOT_ALLOWED",
                "method " + ctx.request().method() + " is not allowed on " + ctx.request().path(), null)));
        router.errorHandler(413, ctx -> send(ctx, 413, ApiException.body("BODY_TOO_LARGE",
                "the body is larger than 256 KiB", "body")));
        router.errorHandler(500, ctx -> send(ctx, 500, ApiException.body("INTERNAL",
                "internal error", null)));
        return router;
    }

    private static void authenticate(RoutingContext ctx, ApiRoute r, TokenService tokens, TokenRevocations revocations,
                                     String adminToken) {
        String auth = ctx.request().getHeader("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (r.isPublic()) {
                ctx.next();
            } else {
                ctx.fail(ApiException.unauthorized("log in: header Authorization: Bearer <token> from POST /api/login"));
            }
            return;
        }
        String token = auth.substring(7).trim();
        if (adminToken != null && !adminToken.isBlank() && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), adminToken.getBytes(StandardCharsets.UTF_8))) {
            authorize(ctx, r, new Caller(Caller.ADMIN_TOKEN_ID, EnumSet.of(Role.ADMIN)));
            return;
        }
        tokens.verify(token).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ApiException.unauthorized("the bearer token is invalid or expired: log in again"));
                return;
            }
            TokenService.Claims claims = ar.result();
            Set<Role> roles = EnumSet.noneOf(Role.class);
            claims.roles().forEach(id -> Role.of(id).ifPresent(roles::add));
            if (revocations == null) {
                authorize(ctx, r, new Caller(claims.participantId(), roles, claims));
                return;
            }
            ctx.vertx().executeBlocking(() -> revocations.isRevoked(claims), false).onComplete(rev -> {
                if (rev.failed()) {
                    ctx.fail(rev.cause());
                } else if (rev.result()) {
                    ctx.fail(ApiException.unauthorized("the bearer token was revoked (logged out, or an admin revoked the"
                            + " participant's tokens): log in again"));
                } else {
                    authorize(ctx, r, new Caller(claims.participantId(), roles, claims));
                }
            });
        });
    }

    private static void authorize(RoutingContext ctx, ApiRoute r, Caller caller) {
        if (!r.isPublic() && r.roles().stream().noneMatch(caller::has)) {
            ctx.fail(ApiException.forbidden("this needs one of the roles " + r.roles() + "; you have " + caller.roles()));
            return;
        }
        ctx.put(CALLER, caller);
        ctx.next();
    }

    private static void run(RoutingContext ctx, ApiRoute r) {
        try {
            Object out = r.handler().handle(new Req(ctx, ctx.get(CALLER)));
            if (out instanceof Reply reply) {
                Object b = reply.body();
                String text = b instanceof JsonObject o ? o.encode() : b instanceof JsonArray a ? a.encode() : String.valueOf(b);
                ctx.response().setStatusCode(reply.status()).putHeader("content-type", reply.contentType()).end(text);
            } else if (out instanceof JsonObject o) {
                send(ctx, 200, o);
            } else if (out instanceof JsonArray a) {
                ctx.response().setStatusCode(200).putHeader("content-type", "application/json").end(a.encode());
            } else {
                throw new IllegalStateException("handler of " + r.path() + " returned " + out);
            }
        } catch (Exception e) {
            ctx.fail(e);
        }
    }

    private static void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t instanceof ApiException e) {
            if (e.retryAfterSeconds() > 0 && !ctx.response().ended()) {
                ctx.response().putHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            send(ctx, e.status(), e.toJson());
            return;
        }
        if (t instanceof MarketException m) {
            int st = switch (m.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            };
            send(ctx, st, ApiException.body(m.code(), m.getMessage(), m.field()));
            return;
        }
        int status = ctx.statusCode();
        if (t == null && status >= 400 && status < 500) {
            String code = switch (status) {
                case 404 -> "NOT_FOUND";
                case 405 -> "METHOD_NOT_ALLOWED";
                case 413 -> "BODY_TOO_LARGE";
                case 415 -> "UNSUPPORTED_MEDIA_TYPE";
                default -> "BAD_REQUEST";
            };
            send(ctx, status, ApiException.body(code, "request refused with HTTP " + status, null));
            return;
        }
        log.error("{} {} failed", ctx.request().method(), ctx.request().path(), t);
        send(ctx, 500, ApiException.body("INTERNAL", "internal error: "
                + (t == null ? "HTTP " + status : t.getClass().getSimpleName()), null));
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
