package org.secondgrid.simulator.weather;

/** A day's weather regime: mean clear-sky index, its variability and how fast clouds come and go. */
public enum Regime {
    CLEAR(0.92, 0.05, 0.95),
    MIXED(0.60, 0.22, 0.85),
    OVERCAST(0.25, 0.08, 0.9);

    /** Mean clear-sky index (PV yield / clear-sky yield). */
    public final double mean;
    /** Stationary standard deviation of the index around the mean. */
    public final double sd;
    /** AR(1) coefficient per 5-minute step. */
    public final double phi5;

    Regime(double mean, double sd, double phi5) {
        this.mean = mean;
        this.sd = sd;
        this.phi5 = phi5;
    }

    /** Markov chain between days: a regime persists with probability 0.6, else moves to one of the others. */
    public Regime next(double u) {
        if (u < 0.6) {
            return this;
        }
        Regime[] all = values();
        return all[(ordinal() + (u < 0.8 ? 1 : 2)) % all.length];
    }
}
