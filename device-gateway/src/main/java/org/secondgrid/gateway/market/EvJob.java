package org.secondgrid.gateway.market;

import java.time.Instant;
import java.time.LocalDate;
import org.secondgrid.matcher.domain.Solution;

/**
 * An EV's itinerary offered to its owner as a transport job.
 *
 * @param scheduleVersion the schedule version that offered it
 * @param itinerary       the spec's itinerary (stops, slots, kWh)
 * @param payJpy          what the owner earns: the fees of the EV's pool in that schedule
 * @param status          offered, accepted, declined or expired
 * @param decidedAt       when it was accepted/declined/expired, null while offered
 */
public record EvJob(String jobId, String market, LocalDate day, String evId, int scheduleVersion,
                    Solution.Itinerary itinerary, double payJpy, Status status, Instant offeredAt, Instant decidedAt) {

    public enum Status {
        OFFERED, ACCEPTED, DECLINED, EXPIRED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status parse(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
