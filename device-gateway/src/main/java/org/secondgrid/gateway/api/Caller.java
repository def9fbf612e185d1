package org.secondgrid.gateway.api;

import java.util.Set;

/**
 * Who is calling: a logged-in participant and the roles in its token, or the holder of
 * {@code ADMIN_TOKEN} (participant id {@code "admin-token"}, role admin).
 */
public record Caller(String participantId, Set<Role> roles) {

    public static final String ADMIN_TOKEN_ID = "admin-token";

    public Caller {
        roles = Set.copyOf(roles);
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
