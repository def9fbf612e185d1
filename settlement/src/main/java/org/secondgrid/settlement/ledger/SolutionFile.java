package org.secondgrid.settlement.ledger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/** The part of the matcher's solution JSON (shared/spec/market-model.md, model version 1) that settlement reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SolutionFile(int modelVersion, String market, LocalDate deliveryDay, List<Trade> trades, List<Payment> payments) {

    public static final String GRID = "grid";

    public SolutionFile {
        if (modelVersion != 1) {
            throw new IllegalArgumentException("solution modelVersion must be 1, was " + modelVersion);
        }
        if (market == null || market.isBlank()) {
            throw new IllegalArgumentException("solution market must not be blank, was '" + market + "'");
        }
        if (deliveryDay == null) {
            throw new IllegalArgumentException("solution deliveryDay is missing");
        }
        trades = trades == null ? List.of() : List.copyOf(trades);
        payments = payments == null ? List.of() : List.copyOf(payments);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Trade(String seller, String buyer, int slot, String channel, double kwhSold, double kwhDelivered) {
        public Trade {
            if (kwhDelivered < 0 || Double.isNaN(kwhDelivered)) {
                throw new IllegalArgumentException("trade kwhDelivered must be >= 0, was " + kwhDelivered);
            }
            if (channel == null || channel.isBlank()) {
                throw new IllegalArgumentException("trade channel must be \"grid\" or an EV id, was '" + channel + "'");
            }
        }

        public boolean viaGrid() {
            return GRID.equals(channel);
        }

        /** The party whose meter or charger measures delivery into the buyer: the seller (grid) or the EV. */
        public String source() {
            return viaGrid() ? seller : channel;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Payment(String pool, String payer, String payee, double jpy) {
        public Payment {
            if (jpy < 0 || Double.isNaN(jpy)) {
                throw new IllegalArgumentException("payment jpy must be >= 0, was " + jpy + " in pool " + pool);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public static SolutionFile read(Path file) {
        try {
            return JSON.readValue(file.toFile(), SolutionFile.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read solution " + file + ": " + e.getMessage(), e);
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
