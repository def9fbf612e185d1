package org.secondgrid.matcher.generate;

import java.time.LocalDate;

/**
 * What to generate: a town of {@code sites} sites and {@code evs} EVs for one delivery day, from {@code seed}.
 * The same config always gives the same instance.
 *
 * @param sites  number of sites (households, factories, shops), at least 1
 * @param evs    number of EVs, at least 0 (homed at households; several per home when there are more EVs than homes)
 * @param seed   seed of every random draw
 * @param day    delivery day (default {@link #DEFAULT_DAY}, a Saturday: factories idle, surplus large)
 * @param market market name written into the instance
 */
public record GeneratorConfig(int sites, int evs, long seed, LocalDate day, String market) {

    public static final LocalDate DEFAULT_DAY = LocalDate.of(2026, 12, 5);
    public static final String DEFAULT_MARKET = "aizu-demo";
    /** Upper bound on sites so a typo cannot ask for a town that does not fit in memory. */
    public static final int MAX_SITES = 1_000_000;
    public static final int MAX_EVS = 1_000_000;

    public GeneratorConfig {
        if (sites < 1 || sites > MAX_SITES) {
            throw new IllegalArgumentException("sites=" + sites + " must be in [1, " + MAX_SITES + "]");
        }
        if (evs < 0 || evs > MAX_EVS) {
            throw new IllegalArgumentException("evs=" + evs + " must be in [0, " + MAX_EVS + "]");
        }
        if (day == null) {
            throw new IllegalArgumentException("day=null must be a date");
        }
        if (market == null || market.isBlank()) {
            throw new IllegalArgumentException("market='" + market + "' must not be blank");
        }
    }

    /** Default day and market. */
    public GeneratorConfig(int sites, int evs, long seed) {
        this(sites, evs, seed, DEFAULT_DAY, DEFAULT_MARKET);
    }
}
