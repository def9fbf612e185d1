package org.secondgrid.gateway.market;

import java.util.Set;

/**
 * A market participant. Roles: {@code prosumer}, {@code ev-owner}, {@code operator}, {@code admin}
 * (a participant may hold several). Credentials are kept by the api/auth package, not here.
 */
public record Participant(String id, String displayName, Set<String> roles) {

    public static final Set<String> ROLES = Set.of("prosumer", "ev-owner", "operator", "admin");

    public Participant {
        roles = Set.copyOf(roles);
    }
}
