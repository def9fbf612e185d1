package org.secondgrid.gateway.market;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.secondgrid.gateway.forecast.ForecastService;
import org.secondgrid.gateway.forecast.SiteForecast;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Feeder;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.InstanceValidator;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;

/**
 * The spec instance of a market's delivery day from the registry, the order book and the forecasts:
 * every site of the market with its orders (auto: from its forecast; manual: its per-slot orders),
 * every EV declared available for the day. Validated with the matcher's {@link InstanceValidator}.
 */
public final class InstanceBuilder {

    private final MarketSettings settings;
    private final MarketRegistry registry;
    private final OrderBook orders;
    private final ForecastService forecasts;

    public InstanceBuilder(MarketSettings settings, MarketRegistry registry, OrderBook orders, ForecastService forecasts) {
        this.settings = settings;
        this.registry = registry;
        this.orders = orders;
        this.forecasts = forecasts;
    }

    /** Orders of one site for one day. */
    public record SiteOrders(List<Offer> offers, List<Bid> bids) {
    }

    /** Auto orders from the mean forecast (quantile 0.5). */
    public static SiteOrders autoOrders(String siteId, SiteForecast f, OrderPolicy p) {
        return autoOrders(siteId, f, p, 0.5);
    }

    /**
     * Auto orders: per slot, an offer of the firm surplus (its lower {@code quantile}) at {@code minAsk}, or a
     * bid for the firm net load (its lower {@code quantile}) at {@code maxBid}, in whole Wh; slots under 1 Wh get
     * no order. Quantile 0.5 = the mean forecast.
     */
    public static SiteOrders autoOrders(String siteId, SiteForecast f, OrderPolicy p, double quantile) {
        return autoOrders(siteId, f, p, quantile, quantile);
    }

    /** Auto orders with one quantile for the offers and another for the bids. */
    public static SiteOrders autoOrders(String siteId, SiteForecast f, OrderPolicy p, double offerQuantile,
                                        double bidQuantile) {
        List<Offer> offers = new ArrayList<>();
        List<Bid> bids = new ArrayList<>();
        for (int t = 0; t < f.surplusWh().length; t++) {
            long offer = Math.round(f.firmOfferWh(t, offerQuantile));
            long bid = Math.round(f.firmBidWh(t, bidQuantile));
            if (offer >= 1) {
                offers.add(new Offer(siteId, t, offer / 1000.0, p.minAskJpyPerKwh()));
            } else if (bid >= 1) {
                bids.add(new Bid(siteId, t, bid / 1000.0, p.maxBidJpyPerKwh()));
            }
        }
        return new SiteOrders(offers, bids);
    }

    /** Manual orders as spec orders (slots with 0 kWh are left out). */
    public static SiteOrders manualOrders(String siteId, ManualOrders m) {
        List<Offer> offers = new ArrayList<>();
        List<Bid> bids = new ArrayList<>();
        for (ManualOrders.Offer o : m.offers()) {
            if (o.kwh() > 0) {
                offers.add(new Offer(siteId, o.slot(), o.kwh(), o.askJpyPerKwh()));
            }
        }
        for (ManualOrders.Bid b : m.bids()) {
            if (b.kwh() > 0) {
                bids.add(new Bid(siteId, b.slot(), b.kwh(), b.bidJpyPerKwh()));
            }
        }
        return new SiteOrders(offers, bids);
    }

    /** The orders a site has for {@code day} under its current policy. */
    public SiteOrders ordersOf(SiteRecord site, LocalDate day) {
        OrderPolicy p = orders.policy(site.id());
        if (p.mode() == OrderPolicy.Mode.MANUAL) {
            return manualOrders(site.id(), orders.manualOrders(site.id(), day));
        }
        return autoOrders(site.id(), forecasts.forecast(site.market(), site.id(), day), p,
                settings.autoOfferQuantile(), settings.autoBidQuantile());
    }

    /** The instance of a market's day as of now (a handful of queries whatever the town's size). */
    public Instance build(String market, LocalDate day) {
        List<Feeder> feeders = registry.feeders(market).stream()
                .map(f -> new Feeder(f.id(), f.reverseCapacityKw())).toList();
        List<SiteRecord> records = registry.sites(market);
        Map<String, OrderPolicy> policies = orders.policies(market);
        Map<String, ManualOrders> manual = orders.manualOrdersOf(market, day);
        List<String> auto = records.stream().map(SiteRecord::id)
                .filter(id -> policies.getOrDefault(id, orders.defaultPolicy()).mode() == OrderPolicy.Mode.AUTO).toList();
        Map<String, SiteForecast> forecast = auto.isEmpty() ? Map.of() : forecasts.forecastAll(market, auto, day);
        List<Site> sites = new ArrayList<>();
        List<Offer> offers = new ArrayList<>();
        List<Bid> bids = new ArrayList<>();
        for (SiteRecord s : records) {
            sites.add(new Site(s.id(), s.feederId(), s.lat(), s.lon(), s.exportLimitKw(), s.ports(), s.chargerKw(),
                    s.v2xKw()));
            OrderPolicy p = policies.getOrDefault(s.id(), orders.defaultPolicy());
            SiteOrders o = p.mode() == OrderPolicy.Mode.MANUAL
                    ? manualOrders(s.id(), manual.getOrDefault(s.id(), new ManualOrders(List.of(), List.of())))
                    : autoOrders(s.id(), forecast.get(s.id()), p, settings.autoOfferQuantile(),
                            settings.autoBidQuantile());
            offers.addAll(o.offers());
            bids.addAll(o.bids());
        }
        Map<String, EvAvailability> declared = orders.availabilities(market, day);
        List<Ev> evs = new ArrayList<>();
        for (EvRecord e : registry.evs(market)) {
            Optional<EvAvailability> a = Optional.ofNullable(declared.get(e.id()));
            a.ifPresent(x -> evs.add(new Ev(e.id(), e.homeSiteId(), e.capacityKwh(), x.initialKwh(), x.minKwh(),
                    e.chargeKw(), e.dischargeKw(), e.chargeEfficiency(), e.dischargeEfficiency(),
                    e.consumptionKwhPerKm(), x.availableFrom(), x.availableTo(), x.feeJpyPerKwh(), x.feeJpyPerKm())));
        }
        Instance in = new Instance(Instance.MODEL_VERSION, market, day, settings.zone().getId(), settings.slotsOf(day),
                settings.slotMinutes(), settings.gridFeeJpyPerKwh(), settings.speedKmh(), feeders, sites, offers, bids,
                evs, null);
        InstanceValidator.validate(in);
        return in;
    }
}
