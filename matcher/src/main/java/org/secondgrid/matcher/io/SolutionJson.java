package org.secondgrid.matcher.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.secondgrid.matcher.domain.InvalidInstanceException;
import org.secondgrid.matcher.domain.Solution;

/** Reads and writes solution files. */
public final class SolutionJson {

    private SolutionJson() {
    }

    public static Solution read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static Solution parse(String json) {
        try {
            return Json.MAPPER.readValue(json, Solution.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInstanceException(List.of("solution is not valid: " + e.getOriginalMessage()));
        }
    }

    public static String write(Solution solution) {
        try {
            return Json.MAPPER.writeValueAsString(solution);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("solution could not be written as JSON", e);
        }
    }
}
