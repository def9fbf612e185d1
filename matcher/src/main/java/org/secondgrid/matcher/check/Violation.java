package org.secondgrid.matcher.check;

/**
 * One broken rule found by the checker.
 *
 * @param rule    short stable name (offer-limit, bid-limit, ..., see the module README)
 * @param message what is wrong, with ids and numbers
 */
public record Violation(String rule, String message) {

    /** The line printed by {@code ./secondgrid check}: {@code rule: message}. */
    public String line() {
        return rule + ": " + message;
    }
}
