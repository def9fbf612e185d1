package org.secondgrid.simulator.town;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes town files (JSON); {@code aizu-demo} is a classpath resource. */
public final class TownJson {

    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private TownJson() {
    }

    public static Town parse(String json) {
        try {
            return MAPPER.readValue(json, Town.class);
        } catch (JsonProcessingException e) {
            Throwable c = e.getCause();
            String msg = c instanceof IllegalArgumentException ? c.getMessage() : e.getOriginalMessage();
            throw new IllegalArgumentException("town file is not valid: " + msg, e);
        }
    }

    public static String write(Town town) {
        try {
            return MAPPER.writeValueAsString(town) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("town could not be written", e);
        }
    }

    /** A town file, or a built-in town by name ({@code aizu-demo}). */
    public static Town load(String fileOrName) {
        String resource = "/towns/" + fileOrName + ".json";
        try (InputStream in = TownJson.class.getResourceAsStream(resource)) {
            if (in != null) {
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            Path p = Path.of(fileOrName);
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("--town " + fileOrName + ": no such file and no built-in town of that name");
            }
            return parse(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read town " + fileOrName, e);
        }
    }
}
