package org.secondgrid.gateway.market;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import javax.sql.DataSource;
import org.secondgrid.matcher.check.CheckReport;
import org.secondgrid.matcher.check.SolutionChecker;
import org.secondgrid.matcher.check.Violation;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.solver.MarketSolver;
import org.secondgrid.matcher.solver.SolveOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The day-ahead cycle of every market, driven by the injectable clock (a scheduler looks at it every
 * {@link MarketSettings#pollInterval()}) or on demand:
 * <ol>
 * <li>{@link #runGateClosure}: build the instance, run the matcher with its deadline, store the schedule
 *     (stage gate) and offer each EV with a non-empty itinerary a job; if the matcher throws, misses its
 *     deadline or returns a schedule the checker rejects, the grid-only greedy schedule is published
 *     (source greedy) with a note saying why;</li>
 * <li>{@link #accept} / {@link #decline} until the job deadline; a decline re-plans the EVs without an
 *     accepted job around the accepted itineraries, kept exactly (stage replan); changed itineraries get
 *     new jobs, their old offers expire;</li>
 * <li>{@link #runJobDeadline}: offered jobs expire;</li>
 * <li>{@link #runFinal}: accepted itineraries only, the grid re-cleared around them (stage final).</li>
 * </ol>
 * Every published schedule is verified with the matcher's independent checker first. Operations on one
 * market day are serialised (an accept waits for a running re-plan). Each step runs once per day (table
 * {@code market_day}), across restarts.
 */
public final class MarketCycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MarketCycle.class);

    /** Solves an instance with options: {@link MarketSolver#solve} unless a test injects another. */
    public interface Matcher extends BiFunction<Instance, SolveOptions, Solution> {
    }

    /** A day's state for the admin route. */
    public record DayStatus(String market, LocalDate day, DayPhase phase, Instant gateClosure, Instant jobDeadline,
                            Instant finalAt, Instant gateRanAt, Instant deadlineRanAt, Instant finalRanAt,
                            List<ScheduleStore.VersionInfo> versions) {
    }

    private final DataSource ds;
    private final Clock clock;
    private final MarketSettings settings;
    private final MarketRegistry registry;
    private final InstanceBuilder builder;
    private final ScheduleStore schedules;
    private final JobBook jobs;
    private static final Duration RETRY = Duration.ofSeconds(30);

    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Long> retryAfter = new ConcurrentHashMap<>();
    private volatile Matcher matcher = MarketSolver::solve;
    /** True while the matcher is {@link MarketSolver}: re-plans pin the accepted itineraries in it. */
    private volatile boolean pinning = true;
    private ScheduledExecutorService scheduler;

    public MarketCycle(DataSource ds, Clock clock, MarketSettings settings, MarketRegistry registry,
                       InstanceBuilder builder, ScheduleStore schedules, JobBook jobs) {
        this.ds = ds;
        this.clock = clock;
        this.settings = settings;
        this.registry = registry;
        this.builder = builder;
        this.schedules = schedules;
        this.jobs = jobs;
    }

    private volatile EscrowGate escrowGate;
    private volatile double imbalanceJpyPerKwh;

    /**
     * Checks buyers' escrow at gate closure (settlement's check, handed in by whoever runs settlement): the bids of a
     * buyer that could not pay {@code sum(kwh * max(bid, imbalanceJpyPerKwh))} are dropped before matching.
     */
    public void setEscrowGate(EscrowGate gate, double imbalanceJpyPerKwh) {
        this.imbalanceJpyPerKwh = imbalanceJpyPerKwh;
        this.escrowGate = gate;
    }

    /** Replaces the matcher (tests: one that fails or hangs). */
    public void setMatcher(Matcher m) {
        this.matcher = m;
        this.pinning = false; // an injected matcher has no pinning: re-plans go through the reduced instance
    }

    public MarketSettings settings() {
        return settings;
    }

    /** Starts the clock-driven scheduler (no-op if the settings turn it off). */
    public synchronized void start() {
        if (!settings.cycleOn() || scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("market-cycle")
                .daemon(true).unstarted(r));
        long ms = Math.max(10, settings.pollInterval().toMillis());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                log.warn("market cycle tick failed (retried at the next tick): {}", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        log.info("market cycle: scheduler polls the clock every {} ms (gate closure D-1 {}, job deadline D-1 {},"
                + " final D-1 {}, {})", ms, settings.gateClosure(), settings.jobDeadline(), settings.finalTime(),
                settings.zone());
    }

    /**
     * One look at the clock: for every market with sites, runs the steps that are due for today and
     * tomorrow (local), in order. Returns the number of steps run.
     */
    public int tick() {
        Instant now = clock.instant();
        LocalDate today = now.atZone(settings.zone()).toLocalDate();
        int ran = 0;
        for (String market : registry.markets()) {
            for (LocalDate day : List.of(today, today.plusDays(1))) {
                String key = market + " " + day;
                Long retryAt = retryAfter.get(key);
                if (retryAt != null && System.nanoTime() - retryAt < 0) {
                    continue;
                }
                DayPhase.Step step = null;
                try {
                    while ((step = DayPhase.due(settings, day, clock.instant(), done(market, day))) != null) {
                        switch (step) {
                            case GATE_CLOSURE -> runGateClosure(market, day);
                            case JOB_DEADLINE -> runJobDeadline(market, day);
                            case FINAL -> runFinal(market, day);
                        }
                        ran++;
                    }
                    retryAfter.remove(key);
                } catch (RuntimeException e) {
                    // retried, but not at every tick: once every RETRY real seconds
                    retryAfter.put(key, System.nanoTime() + RETRY.toNanos());
                    log.error("market cycle: {} of {} failed, retrying in {} s: {}", step, key, RETRY.toSeconds(),
                            e.toString(), e);
                }
            }
        }
        return ran;
    }

    // ---------------------------------------------------------------- gate closure

    /** Runs gate closure for the day now (idempotent: returns the gate schedule if it already ran). */
    public PublishedSchedule runGateClosure(String market, LocalDate day) {
        return locked(market, day, () -> {
            if (done(market, day).gate()) {
                return schedules.version(market, day, 1).orElseThrow();
            }
            long t0 = System.nanoTime();
            Instance built = builder.build(market, day);
            EscrowGate gate = escrowGate;
            EscrowGate.Checked funded = gate == null ? new EscrowGate.Checked(built, Map.of())
                    : EscrowGate.apply(gate, built, imbalanceJpyPerKwh);
            if (funded.note() != null) {
                log.warn("gate closure {} {}: {}", market, day, funded.note());
            }
            Instance in = funded.instance();
            long t1 = System.nanoTime();
            log.info("gate closure {} {}: instance with {} sites, {} offers, {} bids, {} EVs built in {} ms", market, day,
                    in.sites().size(), in.offers().size(), in.bids().size(), in.evs().size(), (t1 - t0) / 1_000_000);
            Outcome solved = solveOrGreedy(in, settings.matcherDeadline(), "gate closure");
            Outcome o = funded.note() == null ? solved : new Outcome(solved.solution(), solved.source(),
                    solved.note() == null ? funded.note() : solved.note() + "; " + funded.note());
            Instant at = clock.instant();
            int version = inTx(c -> {
                int v = schedules.insert(c, market, day, PublishedSchedule.Stage.GATE, o.source(), in, o.solution(),
                        o.note(), at);
                for (Solution.Itinerary it : o.solution().itineraries()) {
                    if (!it.stops().isEmpty()) {
                        jobs.insert(c, market, day, it.ev(), v, it, ScheduleComposer.payOf(o.solution(), it.ev()), at);
                    }
                }
                mark(c, market, day, "gate_at", at);
                return v;
            });
            log.info("gate closure {} {}: schedule v{} ({}) welfare {} JPY, {} jobs offered, {} ms in all{}", market, day,
                    version, o.source().wire(), o.solution().welfareJpy(), o.solution().itineraries().size(),
                    (System.nanoTime() - t0) / 1_000_000, o.note() == null ? "" : "; " + o.note());
            return schedules.version(market, day, version).orElseThrow();
        });
    }

    record Outcome(Solution solution, PublishedSchedule.Source source, String note) {
    }

    /** The matcher with its deadline, else the greedy schedule with a note saying why. */
    Outcome solveOrGreedy(Instance in, Duration deadline, String what) {
        String why;
        long t0 = System.nanoTime();
        try {
            Solution s = withDeadline(() -> matcher.apply(in, solveOptions(deadline)), deadline);
            CheckReport r = SolutionChecker.check(in, s);
            if (r.ok()) {
                log.info("{}: matcher cleared {} {} in {} ms", what, in.market(), in.deliveryDay(),
                        (System.nanoTime() - t0) / 1_000_000);
                return new Outcome(s, PublishedSchedule.Source.MATCHER, null);
            }
            why = "the matcher's schedule failed the checker: " + summary(r);
        } catch (TimeoutException e) {
            why = "the matcher missed its deadline of " + deadline.toMillis() / 1000.0 + " s";
        } catch (RuntimeException | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            why = "the matcher failed: " + cause;
        }
        log.warn("{} {} {}: {}; publishing the grid-only greedy schedule", what, in.market(), in.deliveryDay(), why);
        return new Outcome(ScheduleComposer.greedy(in, 0.5), PublishedSchedule.Source.GREEDY,
                "grid-only greedy schedule: " + why);
    }

    private static SolveOptions solveOptions(Duration deadline) {
        return new SolveOptions(deadline, 0.5, 0, true);
    }

    private interface Task<T> {
        T run() throws Exception;
    }

    /** Runs on its own thread; a TimeoutException if it is not done by deadline + 20 % + 2 s. */
    private static <T> T withDeadline(Task<T> task, Duration deadline) throws TimeoutException, ExecutionException {
        var ex = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("matcher").daemon(true).unstarted(r));
        try {
            Future<T> f = ex.submit(task::run);
            long waitMs = deadline.toMillis() + deadline.toMillis() / 5 + 2000;
            try {
                return f.get(waitMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.cancel(true);
                throw new ExecutionException(e);
            }
        } finally {
            ex.shutdownNow();
        }
    }

    private static String summary(CheckReport r) {
        List<Violation> v = r.violations();
        StringBuilder sb = new StringBuilder(v.size() + " violation(s)");
        for (int i = 0; i < Math.min(3, v.size()); i++) {
            sb.append(i == 0 ? ": " : "; ").append(v.get(i).line());
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- jobs

    /** The owner accepts an offered job before the job deadline: its itinerary is then kept exactly. */
    public EvJob accept(String jobId) {
        EvJob job = jobs.job(jobId).orElseThrow(() -> MarketException.notFound("jobId", jobId, "job"));
        return locked(job.market(), job.day(), () -> {
            beforeDeadline(job);
            Instant at = clock.instant();
            boolean ok = inTx(c -> JobBook.transition(c, jobId, EvJob.Status.OFFERED, EvJob.Status.ACCEPTED, at));
            if (!ok) {
                throw notOffered(jobId);
            }
            log.info("job {} accepted ({} {} EV {}, pay {} JPY)", jobId, job.market(), job.day(), job.evId(), job.payJpy());
            return jobs.job(jobId).orElseThrow();
        });
    }

    /**
     * The owner declines an offered job before the job deadline: the EV leaves the day's plan and the
     * EVs without an accepted job are re-planned around the accepted itineraries (schedule stage replan).
     */
    public EvJob decline(String jobId) {
        EvJob job = jobs.job(jobId).orElseThrow(() -> MarketException.notFound("jobId", jobId, "job"));
        return locked(job.market(), job.day(), () -> {
            beforeDeadline(job);
            Instant at = clock.instant();
            boolean ok = inTx(c -> JobBook.transition(c, jobId, EvJob.Status.OFFERED, EvJob.Status.DECLINED, at));
            if (!ok) {
                throw notOffered(jobId);
            }
            log.info("job {} declined ({} {} EV {}): re-planning", jobId, job.market(), job.day(), job.evId());
            replan(job.market(), job.day(), "EV " + job.evId() + " declined job " + jobId);
            return jobs.job(jobId).orElseThrow();
        });
    }

    private void beforeDeadline(EvJob job) {
        Instant deadline = settings.jobDeadlineOf(job.day());
        if (!clock.instant().isBefore(deadline)) {
            throw MarketException.conflict("JOB_DEADLINE_PASSED", "jobId", job.jobId(), "jobs for " + job.day()
                    + " could be accepted or declined until " + deadline);
        }
    }

    private static MarketException notOffered(String jobId) {
        return MarketException.conflict("JOB_NOT_OFFERED", "jobId", jobId,
                "job " + jobId + " is no longer offered (already decided, expired or replaced)");
    }

    /** Accepted itineraries of a day by EV (the newest accepted job of each EV). */
    private Map<String, Solution.Itinerary> accepted(String market, LocalDate day) {
        Map<String, Solution.Itinerary> out = new HashMap<>();
        for (EvJob j : jobs.jobs(market, day)) {
            if (j.status() == EvJob.Status.ACCEPTED) {
                out.putIfAbsent(j.evId(), j.itinerary());
            }
        }
        return out;
    }

    private void replan(String market, LocalDate day, String reason) {
        long t0 = System.nanoTime();
        PublishedSchedule last = schedules.latest(market, day).orElseThrow();
        Instance in = last.instance();
        Map<String, Solution.Itinerary> fixed = accepted(market, day);
        Set<String> declined = new HashSet<>();
        Map<String, EvJob> offered = new HashMap<>();
        for (EvJob j : jobs.jobs(market, day)) {
            if (j.status() == EvJob.Status.DECLINED) {
                declined.add(j.evId());
            } else if (j.status() == EvJob.Status.OFFERED) {
                offered.putIfAbsent(j.evId(), j);
            }
        }
        Set<String> plan = new HashSet<>();
        in.evs().forEach(e -> plan.add(e.id()));
        plan.removeAll(fixed.keySet());
        plan.removeAll(declined);
        List<Solution.Itinerary> fixedList = List.copyOf(fixed.values());
        Outcome o = composeChecked(in, fixedList, plan, settings.replanDeadline(), "re-plan");
        Instant at = clock.instant();
        int[] counts = new int[2];
        int version = inTx(c -> {
            int v = schedules.insert(c, market, day, PublishedSchedule.Stage.REPLAN, o.source(), in, o.solution(),
                    join(reason, o.note()), at);
            Map<String, Solution.Itinerary> planned = new HashMap<>();
            for (Solution.Itinerary it : o.solution().itineraries()) {
                if (plan.contains(it.ev()) && !it.stops().isEmpty()) {
                    planned.put(it.ev(), it);
                }
            }
            for (EvJob j : offered.values()) {
                Solution.Itinerary now = planned.get(j.evId());
                if (!j.itinerary().equals(now)) {
                    JobBook.transition(c, j.jobId(), EvJob.Status.OFFERED, EvJob.Status.EXPIRED, at);
                    counts[1]++;
                }
            }
            for (Map.Entry<String, Solution.Itinerary> e : planned.entrySet()) {
                EvJob old = offered.get(e.getKey());
                if (old == null || !old.itinerary().equals(e.getValue())) {
                    jobs.insert(c, market, day, e.getKey(), v, e.getValue(), ScheduleComposer.payOf(o.solution(),
                            e.getKey()), at);
                    counts[0]++;
                }
            }
            return v;
        });
        log.info("re-plan {} {}: schedule v{} ({}) with {} accepted itineraries fixed, {} EVs re-planned: welfare {} JPY,"
                + " {} new jobs, {} offers withdrawn, {} ms", market, day, version, o.source().wire(), fixed.size(),
                plan.size(), o.solution().welfareJpy(), counts[0], counts[1], (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Fixed itineraries kept, {@code plan} EVs planned by the matcher (grid only if none), checked; if that
     * fails, the fixed itineraries with the grid cleared around them (greedy if even that fails).
     */
    Outcome composeChecked(Instance in, List<Solution.Itinerary> fixed, Set<String> plan, Duration deadline,
                           String what) {
        String why = null;
        try {
            SolveOptions options = plan.isEmpty() ? new SolveOptions(deadline, 0.5, 0, false) : solveOptions(deadline);
            Solution s = withDeadline(() -> pinning
                    ? ScheduleComposer.solvePinned(in, fixed, plan, (sub, pinned) -> MarketSolver.solve(sub, options,
                            pinned), 0.5)
                    : ScheduleComposer.compose(in, fixed, plan, reduced -> plan.isEmpty()
                            ? MarketSolver.solve(reduced, new SolveOptions(deadline, 0.5, 0, false))
                            : matcher.apply(reduced, options), 0.5), deadline);
            CheckReport r = SolutionChecker.check(in, s);
            if (r.ok()) {
                return new Outcome(s, PublishedSchedule.Source.MATCHER, null);
            }
            why = "the composed schedule failed the checker: " + summary(r);
        } catch (TimeoutException e) {
            why = "the matcher missed its deadline of " + deadline.toMillis() / 1000.0 + " s";
        } catch (RuntimeException | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            why = "the matcher failed: " + cause;
        }
        log.warn("{} {} {}: {}; keeping the accepted itineraries with the grid-only greedy clearing around them", what,
                in.market(), in.deliveryDay(), why);
        Solution g = ScheduleComposer.compose(in, fixed, Set.of(), reduced -> ScheduleComposer.greedy(reduced, 0.5), 0.5);
        return new Outcome(g, PublishedSchedule.Source.GREEDY, "grid-only greedy around accepted jobs: " + why);
    }

    private static String join(String a, String b) {
        return b == null ? a : a + "; " + b;
    }

    // ---------------------------------------------------------------- deadline, final

    /** Expires every job still offered. Returns how many expired. */
    public int runJobDeadline(String market, LocalDate day) {
        return locked(market, day, () -> {
            if (done(market, day).deadline()) {
                return 0;
            }
            if (!done(market, day).gate()) {
                runGateClosure(market, day); // the day lock is re-entrant
            }
            Instant at = clock.instant();
            int n = inTx(c -> {
                int k = JobBook.expireOffered(c, market, day, at);
                mark(c, market, day, "deadline_at", at);
                return k;
            });
            log.info("job deadline {} {}: {} unaccepted job(s) expired", market, day, n);
            return n;
        });
    }

    /**
     * Publishes the final schedule: the accepted itineraries exactly, everything else (expired, declined,
     * never offered) removed and the grid re-cleared exactly around them; checked before it is stored.
     */
    public PublishedSchedule runFinal(String market, LocalDate day) {
        return locked(market, day, () -> {
            if (done(market, day).fin()) {
                return schedules.finalSchedule(market, day).orElseThrow();
            }
            if (!done(market, day).deadline()) {
                runJobDeadline(market, day);
            }
            long t0 = System.nanoTime();
            PublishedSchedule gate = schedules.version(market, day, 1).orElseThrow();
            Instance in = gate.instance();
            Map<String, Solution.Itinerary> fixed = accepted(market, day);
            Outcome o = composeChecked(in, List.copyOf(fixed.values()), Set.of(), settings.replanDeadline(), "final");
            Instant at = clock.instant();
            String note = fixed.size() + " accepted itinerary(ies) kept, grid re-cleared around them";
            int version = inTx(c -> {
                int v = schedules.insert(c, market, day, PublishedSchedule.Stage.FINAL, o.source(), in, o.solution(),
                        join(note, o.note()), at);
                mark(c, market, day, "final_at", at);
                return v;
            });
            log.info("final {} {}: schedule v{} ({}) welfare {} JPY with {} EV itineraries, {} ms", market, day, version,
                    o.source().wire(), o.solution().welfareJpy(), fixed.size(), (System.nanoTime() - t0) / 1_000_000);
            return schedules.version(market, day, version).orElseThrow();
        });
    }

    // ---------------------------------------------------------------- status

    public DayStatus status(String market, LocalDate day) {
        Instant[] ran = ranAt(market, day);
        DayPhase.Done done = new DayPhase.Done(ran[0] != null, ran[1] != null, ran[2] != null);
        return new DayStatus(market, day, DayPhase.of(settings, day, clock.instant(), done), settings.gateClosureOf(day),
                settings.jobDeadlineOf(day), settings.finalOf(day), ran[0], ran[1], ran[2],
                schedules.versions(market, day));
    }

    DayPhase.Done done(String market, LocalDate day) {
        Instant[] r = ranAt(market, day);
        return new DayPhase.Done(r[0] != null, r[1] != null, r[2] != null);
    }

    private Instant[] ranAt(String market, LocalDate day) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT gate_at, deadline_at, final_at FROM market_day WHERE market = ? AND delivery_day = ?")) {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                Instant[] out = new Instant[3];
                if (rs.next()) {
                    for (int i = 0; i < 3; i++) {
                        Timestamp t = rs.getTimestamp(i + 1);
                        out[i] = t == null ? null : t.toInstant();
                    }
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the state of " + market + " " + day + ": " + e.getMessage(), e);
        }
    }

    private static void mark(Connection c, String market, LocalDate day, String column, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO market_day (market, delivery_day, " + column
                + ") VALUES (?, ?, ?) ON CONFLICT (market, delivery_day) DO UPDATE SET " + column + " = EXCLUDED."
                + column)) {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
            ps.setTimestamp(3, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- plumbing

    private interface Body<T> {
        T run();
    }

    /**
     * Serialises operations on one market day: in this JVM (a re-entrant lock, so a step may run the steps
     * before it) and across gateway instances sharing the database (a PostgreSQL session advisory lock held
     * by the outermost call).
     */
    private <T> T locked(String market, LocalDate day, Body<T> body) {
        ReentrantLock lock = locks.computeIfAbsent(market + "\u0000" + day, k -> new ReentrantLock());
        lock.lock();
        try {
            if (lock.getHoldCount() > 1) {
                return body.run();
            }
            try (Connection c = ds.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
                    ps.setString(1, "market_day:" + market + ":" + day);
                    ps.execute();
                }
                try {
                    return body.run();
                } finally {
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                        ps.setString(1, "market_day:" + market + ":" + day);
                        ps.execute();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot lock " + market + " " + day + ": " + e.getMessage(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    private interface TxBody<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTx(TxBody<T> body) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T t = body.run(c);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("market transaction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
