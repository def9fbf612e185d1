package org.secondgrid.gateway.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs delivery day D by the gateway's {@link Clock}: at each slot start it publishes every charger's
 * setpoint from the current dispatch; {@code closeDelay} after each slot's end it evaluates the slot
 * (metered vs scheduled = imbalance, backflow, retailer volumes), re-dispatches EV shortfalls over the
 * coming slots (re-sending changed setpoints of the running slot at once) and stores and writes the
 * results. {@link #tick()} does whatever is due; the gateway calls it periodically, tests call it directly.
 */
public final class DeliveryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final DeliveryStore store;
    private final SetpointPublisher publisher;
    private final Consumer<List<String>> timeseries;
    private final DeliveryConfig config;
    private volatile ScheduleSource source;
    private final Map<String, Day> days = new LinkedHashMap<>();
    private boolean stopped;
    private final Map<String, Long> nextSeq;
    private final Map<String, Instant> lastSourceLook = new HashMap<>();
    private java.util.function.Supplier<List<String>> marketList = List::of;
    private List<String> knownMarkets = List.of();
    private long marketsAskedAtMs = -1;

    /** One loaded delivery day. */
    private final class Day {
        final DeliveryDay day;
        final DispatchPlan plan;
        final MarketPositions market;
        final Redispatcher redispatcher;
        final ChargerAssignment chargers;
        final Set<Integer> closed = new HashSet<>();
        /** slot → real ms when it was first due but its metering was not final yet. */
        final Map<Integer, Long> waitingSince = new HashMap<>();
        int lastPublishedSlot = -1;
        /** charger + slot → the setpoint last published for that slot. */
        final Map<String, Setpoint> published = new HashMap<>();
        final List<String> siteIds;

        Day(Instance in, Solution s) {
            day = DeliveryDay.of(in);
            plan = DispatchPlan.of(in, s);
            market = new MarketPositions(in, s);
            redispatcher = new Redispatcher(plan, market);
            chargers = new ChargerAssignment(store.chargers(in.market()));
            siteIds = in.sites().stream().map(Site::id).toList();
        }

        /** Held while this instance delivers the day (other gateway instances skip it). */
        AutoCloseable lock;

        /** Continues from the database: closed slots, the stored dispatch, setpoint sequence numbers. */
        void resync() {
            closed.clear();
            closed.addAll(store.closedSlots(day.market(), day.day()));
            if (!closed.isEmpty()) {
                plan.restore(store.dispatch(day.market(), day.day())); // continue after a restart or a take-over
            }
            published.clear();
            waitingSince.clear();
            store.nextSetpointSeq().forEach((charger, seq) -> nextSeq.merge(charger, seq, Math::max));
        }

        void release() {
            if (lock != null) {
                try {
                    lock.close();
                } catch (Exception e) {
                    log.debug("delivery lock release: {}", e.toString());
                }
                lock = null;
            }
        }
    }

    public DeliveryService(Clock clock, DeliveryStore store, SetpointPublisher publisher,
                           Consumer<List<String>> timeseries, DeliveryConfig config, ScheduleSource source) {
        this.clock = clock;
        this.store = store;
        this.publisher = publisher;
        this.timeseries = timeseries == null ? lines -> { } : timeseries;
        this.config = config;
        this.source = source == null ? ScheduleSource.none() : source;
        this.nextSeq = new HashMap<>(store.nextSetpointSeq());
    }

    /**
     * Delivers this final schedule (replacing a day loaded before for the same market and day, e.g. after a
     * late re-plan). Slots already closed in the database are not evaluated again.
     */
    public synchronized void load(Instance instance, Solution solution) {
        if (!instance.market().equals(solution.market()) || !instance.deliveryDay().equals(solution.deliveryDay())) {
            throw new IllegalArgumentException("solution market/deliveryDay='" + solution.market() + "/"
                    + solution.deliveryDay() + "' does not match the instance's '" + instance.market() + "/"
                    + instance.deliveryDay() + "'");
        }
        Day d = new Day(instance, solution);
        Day before = days.put(key(instance.market(), instance.deliveryDay()), d);
        if (before != null && before.lock != null) {
            d.lock = before.lock; // still ours: continue from what is stored
            d.resync();
        }
        timeseries.accept(DeliveryLines.schedule(instance, solution));
        log.info("delivery: {} {} loaded ({} EV itineraries, {} grid deliveries, {} chargers)", instance.market(),
                instance.deliveryDay(), solution.itineraries().size(), solution.grid().size(),
                store.chargers(instance.market()).size());
    }

    /**
     * Where {@link #tick()} looks for today's final schedule (e.g. the market service's ScheduleStore), for the
     * markets of {@code DELIVERY_MARKETS}, else for those {@code markets} lists (asked at most once a minute).
     */
    public synchronized void scheduleSource(ScheduleSource source, java.util.function.Supplier<List<String>> markets) {
        this.source = source == null ? ScheduleSource.none() : source;
        this.marketList = markets == null ? List::of : markets;
    }

    /** The current dispatch of a loaded day (for tests and reports). */
    public synchronized Optional<DispatchPlan> plan(String market, LocalDate day) {
        Day d = days.get(key(market, day));
        return Optional.ofNullable(d == null ? null : d.plan);
    }

    /** Does what is due at the clock's now: load today's schedules, close ended slots, publish the running slot. */
    public synchronized void tick() {
        if (stopped) {
            return;
        }
        Instant now = clock.instant();
        lookForSchedules(now);
        for (Day d : new ArrayList<>(days.values())) {
            try {
                if (d.lock == null) {
                    d.lock = store.tryLock("delivery:" + d.day.market() + ":" + d.day.day());
                    if (d.lock == null) {
                        continue; // another gateway instance delivers this day
                    }
                    d.resync();
                }
                for (int t = 0; t < d.day.slots(); t++) {
                    if (d.closed.contains(t)) {
                        continue;
                    }
                    if (d.day.slotEnd(t).plus(config.closeDelay()).isAfter(now) || !meteringFinal(d, t)) {
                        break; // slots close in order
                    }
                    closeSlot(d, t);
                }
                int running = d.day.slotAt(now);
                if (running >= 0 && running < d.day.slots()) {
                    publish(d, running, now);
                }
                if (d.closed.size() >= d.day.slots()) {
                    days.remove(key(d.day.market(), d.day.day()));
                    d.release();
                    log.info("delivery: {} {} done", d.day.market(), d.day.day());
                }
            } catch (RuntimeException e) {
                log.warn("delivery of {} {} failed this tick (retried): {}", d.day.market(), d.day.day(), e.toString());
            }
        }
    }

    private void lookForSchedules(Instant now) {
        LocalDate today = now.atZone(config.timeZone()).toLocalDate();
        List<String> markets = config.markets();
        if (markets.isEmpty()) {
            long real = System.currentTimeMillis();
            if (marketsAskedAtMs < 0 || real - marketsAskedAtMs >= 60_000) {
                marketsAskedAtMs = real;
                try {
                    knownMarkets = List.copyOf(marketList.get());
                } catch (RuntimeException e) {
                    log.warn("delivery: markets not readable: {}", e.toString());
                }
            }
            markets = knownMarkets;
        }
        for (String m : markets) {
            if (days.containsKey(key(m, today))) {
                continue;
            }
            Instant last = lastSourceLook.get(m);
            if (last != null && System.currentTimeMillis() - last.toEpochMilli() < 10_000) {
                continue;
            }
            lastSourceLook.put(m, Instant.now());
            try {
                source.finalSchedule(m, today).ifPresent(fs -> load(fs.instance(), fs.solution()));
            } catch (RuntimeException e) {
                log.warn("delivery: final schedule of {} {} not readable: {}", m, today, e.toString());
            }
        }
    }

    private void publish(Day d, int slot, Instant now) {
        if (d.lastPublishedSlot >= 0 && slot > d.lastPublishedSlot + 1) {
            log.warn("delivery: {} {} slots {}..{} passed between two ticks without setpoints (DELIVERY_TICK_MS {} is too "
                    + "long for this clock)", d.day.market(), d.day.day(), d.lastPublishedSlot + 1, slot - 1, config.tickMs());
        }
        d.lastPublishedSlot = Math.max(d.lastPublishedSlot, slot);
        ChargerAssignment.Result r = d.chargers.assign(d.plan.actionsAt(slot), slot, d.day.slotHours());
        for (DispatchPlan.Action a : r.unassigned()) {
            String k = "unassigned\u0000" + a.ev() + "\u0000" + slot;
            if (d.published.putIfAbsent(k, new Setpoint("", a.site(), slot, a.ev(), 0)) == null) {
                log.warn("delivery: {} slot {}: no free charger registered at site {} for {} ({} kWh)", d.day.day(), slot,
                        a.site(), a.ev(), a.kwh());
            }
        }
        List<DeliveryStore.SentSetpoint> sent = new ArrayList<>();
        for (Setpoint sp : r.setpoints()) {
            if (!sp.equals(d.published.get(sp.chargerId() + "\u0000" + slot))) {
                sent.add(new DeliveryStore.SentSetpoint(sp, nextSeq.getOrDefault(sp.chargerId(), 1L)));
            }
        }
        if (sent.isEmpty()) {
            return;
        }
        List<SetpointPublisher.Message> messages = sent.stream().map(x -> message(d, slot, now, x)).toList();
        try {
            publisher.publishAll(messages); // all in flight at once; none counts as published unless all were taken
        } catch (Exception e) {
            throw new IllegalStateException(sent.size() + " setpoint(s) of slot " + slot + " not published: " + e, e);
        }
        for (DeliveryStore.SentSetpoint x : sent) {
            nextSeq.put(x.setpoint().chargerId(), x.seq() + 1);
            d.published.put(x.setpoint().chargerId() + "\u0000" + slot, x.setpoint());
        }
        store.saveSetpoints(d.day.market(), d.day.day(), sent, now);
    }

    private static SetpointPublisher.Message message(Day d, int slot, Instant now, DeliveryStore.SentSetpoint x) {
        Setpoint sp = x.setpoint();
        ObjectNode body = JSON.createObjectNode();
        body.put("seq", x.seq());
        body.put("ts", now.toString());
        body.put("day", d.day.day().toString());
        body.put("slot", slot);
        body.put("slotStart", d.day.slotStart(slot).toString());
        body.put("ev", sp.ev());
        body.put("powerKw", sp.powerKw());
        try {
            return new SetpointPublisher.Message(Setpoint.topic(d.day.market(), sp.chargerId()), JSON.writeValueAsBytes(body));
        } catch (Exception e) {
            throw new IllegalStateException("setpoint for " + sp.chargerId() + " slot " + slot + " not encoded: " + e, e);
        }
    }

    /** True when every meter's slot is final, or after waiting {@code maxWaitMs} (real time) for it. */
    private boolean meteringFinal(Day d, int slot) {
        List<String> pending = store.metersPending(d.day.market(), d.siteIds, d.day.slotStart(slot), d.day.slotEnd(slot));
        if (pending.isEmpty()) {
            return true;
        }
        long real = System.currentTimeMillis();
        long since = d.waitingSince.computeIfAbsent(slot, k -> real);
        if (real - since >= config.maxWaitMs()) {
            log.warn("delivery: {} {} slot {} closed without final metering of {} meter(s), e.g. {}", d.day.market(),
                    d.day.day(), slot, pending.size(), pending.get(0));
            return true;
        }
        return false;
    }

    private void closeSlot(Day d, int slot) {
        Instant from = d.day.slotStart(slot);
        Instant to = d.day.slotEnd(slot);
        List<ChargerEnergy.EvEnergy> measured = ChargerEnergy.measure(store.chargerStatuses(d.day.market(), from, to), from, to);
        Map<String, ImbalanceRules.Metered> metered = store.metered(d.siteIds, from);
        Map<String, Double> dispatched = new HashMap<>();
        d.plan.actionsAt(slot).forEach(a -> dispatched.put(a.ev(), a.kwh()));
        ImbalanceRules.SlotResult result = ImbalanceRules.evaluate(d.plan, d.market, slot, metered, measured,
                config.retailerJpyPerKwh());
        List<Redispatcher.Redispatch> redispatches = d.redispatcher.afterSlot(slot, measured);
        store.saveSlot(d.day.market(), d.day.day(), from, result, redispatches, d.plan.currentActions());
        d.closed.add(slot);
        timeseries.accept(DeliveryLines.slot(d.plan, d.market, d.day.market(), from, result, measured, dispatched, metered));
        if (!redispatches.isEmpty()) {
            log.info("delivery: {} {} slot {}: re-dispatched {}", d.day.market(), d.day.day(), slot, redispatches);
        }
        long evBackflow = result.backflow().stream().filter(ImbalanceRules.BackflowEvent::evCaused).count();
        if (result.sites().isEmpty() && result.backflow().isEmpty()) {
            log.debug("delivery: {} {} slot {} closed: nothing scheduled or measured", d.day.market(), d.day.day(), slot);
            return;
        }
        log.info("delivery: {} {} slot {} closed: imbalance {} kWh, retailer {} kWh, {} backflow events ({} EV-caused)",
                d.day.market(), d.day.day(), slot, ImbalanceRules.r3(result.imbalanceKwh()),
                ImbalanceRules.r3(result.retailerKwh()), result.backflow().size(), evBackflow);
    }

    /** Releases the days this instance delivers (another instance takes them over at its next tick). */
    @Override
    public synchronized void close() {
        stopped = true;
        days.values().forEach(Day::release);
        days.clear();
    }

    private static String key(String market, LocalDate day) {
        return market + "\u0000" + day;
    }
}
