package org.secondgrid.gateway.api;

import java.util.Set;
import org.secondgrid.gateway.auth.TokenService;

/**
 * Who is calling: a logged-in participant, the roles in its token and the token's claims (for logout), or the holder
 * of {@code ADMIN_TOKEN} (participant id {@code "admin-token"}, role admin, no token claims).
 */
public record Caller(String participantId, Set<Role> roles, TokenService.Claims token) {

    public static final String ADMIN_TOKEN_ID = "admin-token";

    public Caller {
        roles = Set.copyOf(roles);
    }

    public Caller(String participantId, Set<Role> roles) {
        this(participantId, roles, null);
    }

    public boolean has(Role r) {
        return roles.contains(r);
    }

    /** The role named in the data-access log for this caller's reads of someone else's data. */
    public Role readerRole() {
        if (has(Role.ADMIN)) {
            return Role.ADMIN;
        }
        if (has(Role.OPERATOR)) {
            return Role.OPERATOR;
        }
        return roles.stream().findFirst().orElse(Role.PROSUMER);
    }
}
