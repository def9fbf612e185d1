package org.secondgrid.simulator.physics;

/** Cumulative Wh counters of one smart meter, as it publishes them. */
public record MeterCounters(double importWh, double exportWh, double pvWh) {

    public static final MeterCounters ZERO = new MeterCounters(0, 0, 0);

    public MeterCounters plus(double importWh, double exportWh, double pvWh) {
        return new MeterCounters(this.importWh + importWh, this.exportWh + exportWh, this.pvWh + pvWh);
    }

    public MeterCounters minus(MeterCounters o) {
        return new MeterCounters(importWh - o.importWh, exportWh - o.exportWh, pvWh - o.pvWh);
    }
}
