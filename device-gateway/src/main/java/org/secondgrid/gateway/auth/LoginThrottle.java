package org.secondgrid.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Throttles failed logins per participant id and per remote address: once {@code maxFailuresPerId} (or
 * {@code maxFailuresPerAddress}) failures fall within the sliding {@code window}, every login for that id (from that
 * address) is refused until enough of them are older than the window, even with the right password. A successful login
 * clears the id's failures (not the address's). Kept in memory: it holds for one gateway process (each instance
 * counts on its own; a restart forgets).
 */
public final class LoginThrottle {

    /**
     * @param maxFailuresPerId      failed logins of one participant id within the window before it is locked ({@code LOGIN_MAX_FAILURES})
     * @param maxFailuresPerAddress failed logins from one remote address within the window before it is locked
     *                              ({@code LOGIN_MAX_FAILURES_PER_ADDRESS})
     * @param window                the sliding window ({@code LOGIN_WINDOW_MINUTES})
     */
    public record Settings(int maxFailuresPerId, int maxFailuresPerAddress, Duration window) {
        public Settings {
            if (maxFailuresPerId < 1) {
                throw new IllegalArgumentException("LOGIN_MAX_FAILURES must be >= 1, got " + maxFailuresPerId);
            }
            if (maxFailuresPerAddress < 1) {
                throw new IllegalArgumentException("LOGIN_MAX_FAILURES_PER_ADDRESS must be >= 1, got " + maxFailuresPerAddress);
            }
            if (window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("LOGIN_WINDOW_MINUTES must be >= 1, got " + (window == null ? null : window.toMinutes()));
            }
        }

        public static Settings defaults() {
            return fromEnv(Map.of());
        }

        public static Settings fromEnv(Map<String, String> env) {
            return new Settings(num(env, "LOGIN_MAX_FAILURES", 5), num(env, "LOGIN_MAX_FAILURES_PER_ADDRESS", 20),
                    Duration.ofMinutes(num(env, "LOGIN_WINDOW_MINUTES", 15)));
        }

        private static int num(Map<String, String> env, String key, int def) {
            String v = env.get(key);
            if (v == null || v.isBlank()) {
                return def;
            }
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
            }
        }
    }

    /** Why a login is refused now: which limit (field {@code participantId} or {@code address}) and for how long. */
    public record Lockout(String field, Duration retryAfter) {
        /** Whole seconds for a {@code Retry-After} header (at least 1). */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    /** Keys kept before expired ones are swept (a flood of distinct ids must not grow memory without bound). */
    private static final int SWEEP_ABOVE = 10_000;

    private final Settings settings;
    private final Clock clock;
    private final Map<String, Deque<Instant>> byId = new HashMap<>();
    private final Map<String, Deque<Instant>> byAddress = new HashMap<>();

    public LoginThrottle(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public Settings settings() {
        return settings;
    }

    /** Empty if a login of {@code participantId} from {@code address} may be tried now; else the lockout. */
    public synchronized Optional<Lockout> check(String participantId, String address) {
        Instant now = clock.instant();
        Optional<Lockout> id = locked(byId, participantId, settings.maxFailuresPerId(), now, "participantId");
        if (id.isPresent()) {
            return id;
        }
        return locked(byAddress, address, settings.maxFailuresPerAddress(), now, "address");
    }

    /** Counts a failed login (wrong password or unknown id). */
    public synchronized void failed(String participantId, String address) {
        Instant now = clock.instant();
        add(byId, participantId, now, settings.maxFailuresPerId());
        add(byAddress, address, now, settings.maxFailuresPerAddress());
        if (byId.size() + byAddress.size() > SWEEP_ABOVE) {
            sweep(byId, now);
            sweep(byAddress, now);
        }
    }

    /** A successful login: the id's failures are forgotten. */
    public synchronized void succeeded(String participantId) {
        byId.remove(participantId);
    }

    private Optional<Lockout> locked(Map<String, Deque<Instant>> map, String key, int max, Instant now, String field) {
        if (key == null) {
            return Optional.empty();
        }
        Deque<Instant> q = map.get(key);
        if (q == null) {
            return Optional.empty();
        }
        prune(q, now);
        if (q.isEmpty()) {
            map.remove(key);
            return Optional.empty();
        }
        if (q.size() < max) {
            return Optional.empty();
        }
        // allowed again once size - max + 1 of the failures have left the window: the (size - max)-th oldest
        Iterator<Instant> it = q.iterator();
        Instant t = it.next();
        for (int i = 0; i < q.size() - max; i++) {
            t = it.next();
        }
        return Optional.of(new Lockout(field, Duration.between(now, t.plus(settings.window()))));
    }

    private void add(Map<String, Deque<Instant>> map, String key, Instant now, int max) {
        if (key == null) {
            return;
        }
        Deque<Instant> q = map.computeIfAbsent(key, k -> new ArrayDeque<>());
        prune(q, now);
        q.addLast(now);
        while (q.size() > max) {
            q.removeFirst(); // more than max failures are never needed to decide
        }
    }

    private void prune(Deque<Instant> q, Instant now) {
        Instant oldest = now.minus(settings.window());
        while (!q.isEmpty() && !q.peekFirst().isAfter(oldest)) {
            q.removeFirst();
        }
    }

    private void sweep(Map<String, Deque<Instant>> map, Instant now) {
        map.values().forEach(q -> prune(q, now));
        map.values().removeIf(Deque::isEmpty);
    }
}
