package org.secondgrid.simulator.physics;

/**
 * One site in one tick, kW (averages over the tick). Balance: {@code importKw − exportKw = loadKw + chargeKw − pvKw −
 * dischargeKw}; {@code pvKw = pvAvailKw − curtailedKw}; {@code exportKw ≤ export limit}.
 */
public record SiteFlow(double loadKw, double pvAvailKw, double pvKw, double curtailedKw, double chargeKw,
                       double dischargeKw, double importKw, double exportKw) {
}
