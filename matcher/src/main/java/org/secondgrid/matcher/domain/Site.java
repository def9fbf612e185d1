package org.secondgrid.matcher.domain;

/**
 * A grid connection (household, factory, shop).
 *
 * @param exportLimitKw backflow limit of the connection; 0 = no backflow
 * @param ports         EVs that can be plugged in at once (0 = none)
 * @param chargerKw     charging power per port (0 = cannot charge here)
 * @param v2xKw         discharge power per port into the site (0 = none)
 */
public record Site(String id, String feeder, double lat, double lon, double exportLimitKw, int ports,
                   double chargerKw, double v2xKw) {
}
