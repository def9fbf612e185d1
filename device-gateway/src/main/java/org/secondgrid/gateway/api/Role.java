package org.secondgrid.gateway.api;

import java.util.Arrays;
import java.util.Optional;

/** What a caller may do: {@code prosumer}, {@code ev-owner}, {@code operator} (grid operator), {@code admin}. */
public enum Role {
    PROSUMER("prosumer"),
    EV_OWNER("ev-owner"),
    OPERATOR("operator"),
    ADMIN("admin");

    private final String id;

    Role(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Role> of(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
