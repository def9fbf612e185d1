package org.secondgrid.gateway.market;

/**
 * A grid connection owned by a participant; its id is the instance's {@code sites[].id} and the
 * meters' {@code device.site_id}.
 *
 * @param kind          household, factory, shop or other
 * @param exportLimitKw backflow limit of the connection (0 = no backflow)
 * @param ports         EVs that can be plugged in at once
 * @param chargerKw     charging power per port (0 = cannot charge here)
 * @param v2xKw         discharge power per port into the site (0 = none)
 */
public record SiteRecord(String id, String market, String ownerId, String feederId, String kind, double lat, double lon,
                         double exportLimitKw, int ports, double chargerKw, double v2xKw) {

    public static final java.util.Set<String> KINDS = java.util.Set.of("household", "factory", "shop", "other");
}
