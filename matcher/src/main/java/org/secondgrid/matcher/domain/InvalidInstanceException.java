package org.secondgrid.matcher.domain;

import java.util.List;

/** An instance (or solution) file that breaks a rule; each problem names the field and the value. */
public class InvalidInstanceException extends RuntimeException {

    private final List<String> problems;

    public InvalidInstanceException(List<String> problems) {
        super(problems.size() == 1 ? problems.getFirst()
                : problems.size() + " problems: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
