package org.secondgrid.gateway.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.secondgrid.gateway.auth.LoginThrottle;
import org.secondgrid.gateway.auth.TokenService;

/**
 * The gateway's HTTP server (Vert.x 5 web) on 127.0.0.1: the REST API under {@code /api} (JWT roles,
 * see the module README), {@code /health}, {@code /metrics}, {@code /openapi.yaml}, device
 * registration, and the web UI under {@code /ui/}.
 */
public final class HttpApi implements AutoCloseable {

    /** Settings of the HTTP layer. */
    public record Settings(int port, String adminToken, String jwtSecret, int tokenTtlMinutes, LoginThrottle.Settings loginThrottle) {
        public Settings(int port, String adminToken, String jwtSecret, int tokenTtlMinutes) {
            this(port, adminToken, jwtSecret, tokenTtlMinutes, LoginThrottle.Settings.defaults());
        }
    }

    private final Vertx vertx;
    private final HttpServer server;

    private HttpApi(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Every API route, in the order they are matched. */
    public static List<ApiRoute> routes(ApiServices s, TokenService tokens, LoginThrottle throttle) {
        List<ApiRoute> all = new ArrayList<>();
        all.addAll(SystemRoutes.routes(s));
        all.addAll(AccountRoutes.routes(s, tokens, throttle));
        all.addAll(AdminRoutes.routes(s));
        all.addAll(ProsumerRoutes.routes(s));
        all.addAll(EvOwnerRoutes.routes(s));
        all.addAll(OperatorRoutes.routes(s));
        all.addAll(MarketRoutes.routes(s));
        all.addAll(MoneyRoutes.routes(s));
        return all;
    }

    /** The router: API routes, then the web UI (static files from the jar, charts from the ECharts WebJar). */
    public static Router router(Vertx vertx, ApiServices s, TokenService tokens, String adminToken) {
        return router(vertx, s, tokens, new LoginThrottle(LoginThrottle.Settings.defaults(), Clock.systemUTC()), adminToken);
    }

    /** The router with its login throttle; tokens are checked against {@code s.revocations()} when it is set. */
    public static Router router(Vertx vertx, ApiServices s, TokenService tokens, LoginThrottle throttle, String adminToken) {
        Router router = ApiRouter.build(vertx, routes(s, tokens, throttle), tokens, s.revocations(), adminToken);
        router.get("/ui/lib/*").handler(StaticHandler.create("META-INF/resources/webjars").setCachingEnabled(true));
        router.get("/ui/*").handler(StaticHandler.create("web").setIndexPage("index.html").setCachingEnabled(false));
        router.get("/").handler(ctx -> ctx.redirect("/ui/"));
        return router;
    }

    public static HttpApi start(Settings settings, ApiServices services) {
        Vertx vertx = Vertx.vertx();
        try {
            TokenService tokens = new TokenService(vertx, settings.jwtSecret(), settings.tokenTtlMinutes());
            LoginThrottle throttle = new LoginThrottle(settings.loginThrottle(), Clock.systemUTC());
            Router router = router(vertx, services, tokens, throttle, settings.adminToken());
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(settings.port(), "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new HttpApi(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("HTTP server did not start on 127.0.0.1:" + settings.port() + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
