package org.secondgrid.gateway.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.secondgrid.gateway.forecast.SiteForecasterTownTest.Actual;
import org.secondgrid.matcher.generate.LoadProfiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firm (lower-quantile) quantities of the forecaster on town-like days ({@link SiteForecasterTownTest}'s shapes):
 * below the mean, and exceeded by the actual surplus / net load in about 1 − q of the slots. Also prints, per
 * quantile, the auto orders' volume and how much of it the actuals would not cover (a proxy of the imbalance the
 * orders cause: offers above the actual surplus, bids above the actual net load).
 */
class FirmQuantileTest {

    private static final Logger log = LoggerFactory.getLogger(FirmQuantileTest.class);
    static final int SLOTS = SiteForecasterTownTest.SLOTS;

    record Pair(SiteForecast forecast, SiteForecast actual) {
    }

    static List<Pair> townDays(long seed) {
        LoadProfiles profiles = new LoadProfiles();
        Random rnd = new Random(seed);
        List<Actual> days = new ArrayList<>();
        LocalDate start = LocalDate.of(2026, 10, 5);
        for (int k = 0; k < 84; k++) {
            days.add(SiteForecasterTownTest.actualDay(start.plusDays(k), profiles, rnd));
        }
        List<Pair> out = new ArrayList<>();
        for (int k = 56; k < 84; k++) {
            Actual a = days.get(k);
            List<DayHistory> past = days.subList(k - 28, k).stream().map(Actual::day).toList();
            out.add(new Pair(SiteForecaster.forecast(past, a.day().day(), a.index(), SLOTS),
                    SiteForecast.of(a.day().day(), a.day().pvWh(), a.day().loadWh())));
        }
        return out;
    }

    @Test
    void zIsTheNormalQuantileAndBadQuantilesAreRefused() {
        assertThat(SiteForecast.z(0.5)).isEqualTo(0);
        assertThat(SiteForecast.z(0.2)).isCloseTo(0.841621, within(1e-5));
        assertThat(SiteForecast.z(0.1)).isCloseTo(1.281552, within(1e-5));
        assertThat(SiteForecast.z(0.01)).isCloseTo(2.326348, within(1e-5));
        assertThat(SiteForecast.z(0.8)).isCloseTo(-0.841621, within(1e-5));
        assertThatThrownBy(() -> SiteForecast.z(1.0)).hasMessageContaining("quantile").hasMessageContaining("1.0");
        assertThatThrownBy(() -> SiteForecast.z(0)).hasMessageContaining("quantile");
    }

    @Test
    void firmQuantitiesAreBelowTheMeanAndTheMeanAtHalf() {
        for (Pair p : townDays(7)) {
            SiteForecast f = p.forecast();
            double[] loadLow = f.loadWhLow(0.2);
            double[] pvLow = f.pvWhLow(0.2);
            double[] sLow = f.surplusWhLow(0.2);
            double[] nLow = f.netLoadWhLow(0.2);
            for (int t = 0; t < SLOTS; t++) {
                assertThat(loadLow[t]).isLessThan(f.loadWh()[t]); // every slot has load, so a spread
                assertThat(pvLow[t]).isLessThanOrEqualTo(f.pvWh()[t]);
                assertThat(sLow[t]).isLessThan(f.surplusWh()[t]);
                assertThat(nLow[t]).isLessThan(-f.surplusWh()[t]);
                assertThat(f.firmOfferWh(t, 0.2)).isLessThanOrEqualTo(f.offerWh(t));
                assertThat(f.firmBidWh(t, 0.2)).isLessThanOrEqualTo(f.bidWh(t));
                assertThat(f.firmOfferWh(t, 0.5)).isEqualTo(f.offerWh(t));
                assertThat(f.firmBidWh(t, 0.5)).isEqualTo(f.bidWh(t));
            }
        }
    }

    @Test
    void actualsExceedTheFirmQuantityInAboutOneMinusQOfTheSlots() {
        List<Pair> pairs = townDays(2026);
        for (double q : new double[] {0.1, 0.2, 0.3}) {
            int offerSlots = 0;
            int offerCovered = 0;
            int bidSlots = 0;
            int bidCovered = 0;
            for (Pair p : pairs) {
                double[] sLow = p.forecast().surplusWhLow(q);
                double[] nLow = p.forecast().netLoadWhLow(q);
                for (int t = 0; t < SLOTS; t++) {
                    double actual = p.actual().surplusWh()[t];
                    if (p.forecast().surplusWh()[t] > 0) {
                        offerSlots++;
                        offerCovered += actual >= sLow[t] ? 1 : 0;
                    } else {
                        bidSlots++;
                        bidCovered += -actual >= nLow[t] ? 1 : 0;
                    }
                }
            }
            double offerShare = (double) offerCovered / offerSlots;
            double bidShare = (double) bidCovered / bidSlots;
            log.info("q {}: actual surplus >= firm surplus in {} of {} surplus slots ({}), actual net load >= firm net "
                            + "load in {} of {} load slots ({})", q, offerCovered, offerSlots,
                    String.format("%.3f", offerShare), bidCovered, bidSlots, String.format("%.3f", bidShare));
            assertThat(offerSlots).isGreaterThan(100);
            assertThat(offerShare).isBetween(1 - q - 0.12, Math.min(1, 1 - q + 0.12));
            assertThat(bidShare).isBetween(1 - q - 0.12, Math.min(1, 1 - q + 0.12));
        }
    }

    /** Measurement (prints figures): order volume and the part the actuals do not cover, per quantile. */
    @Test
    void firmOrdersCutTheUncoveredVolume() {
        List<Pair> pairs = townDays(2026);
        double[] qs = {0.5, 0.3, 0.2, 0.1};
        double[] uncoveredShare = new double[qs.length];
        for (int i = 0; i < qs.length; i++) {
            double offered = 0;
            double shortOffer = 0;
            double bid = 0;
            double overBid = 0;
            for (Pair p : pairs) {
                for (int t = 0; t < SLOTS; t++) {
                    double o = p.forecast().firmOfferWh(t, qs[i]);
                    double b = p.forecast().firmBidWh(t, qs[i]);
                    double actual = p.actual().surplusWh()[t];
                    offered += o;
                    shortOffer += o > 0 ? Math.max(0, o - Math.max(0, actual)) : 0;
                    bid += b;
                    overBid += b > 0 ? Math.max(0, b - Math.max(0, -actual)) : 0;
                }
            }
            uncoveredShare[i] = (shortOffer + overBid) / (offered + bid);
            log.info("q {}: offers {} kWh, not covered by actual surplus {} kWh ({} %); bids {} kWh, above actual net "
                            + "load {} kWh ({} %)", qs[i], String.format("%.1f", offered / 1000),
                    String.format("%.1f", shortOffer / 1000), String.format("%.1f", 100 * shortOffer / offered),
                    String.format("%.1f", bid / 1000), String.format("%.1f", overBid / 1000),
                    String.format("%.1f", 100 * overBid / bid));
        }
        for (int i = 1; i < qs.length; i++) {
            assertThat(uncoveredShare[i]).isLessThan(uncoveredShare[i - 1]);
        }
    }
}
