package org.secondgrid.matcher.check;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.io.InstanceJson;
import org.secondgrid.matcher.io.Json;
import org.secondgrid.matcher.io.SolutionJson;

/** Test resources as JSON trees, edited by JSON pointer to seed exactly one fault. */
final class Fixtures {

    private Fixtures() {
    }

    static String text(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode tree(String resource) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses (and validates) an instance tree, as the CLI would. */
    static Instance instance(ObjectNode tree) {
        return InstanceJson.parse(tree.toString());
    }

    static Solution solution(ObjectNode tree) {
        return SolutionJson.parse(tree.toString());
    }

    /** Sets the value at a JSON pointer such as {@code /itineraries/0/stops/2/arrive}. */
    static void set(ObjectNode root, String pointer, Object value) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = root.at(p.head());
        JsonNode v = Json.MAPPER.valueToTree(value);
        if (parent instanceof ObjectNode o) {
            o.set(p.last().getMatchingProperty(), v);
        } else if (parent instanceof ArrayNode a) {
            a.set(p.last().getMatchingIndex(), v);
        } else {
            throw new IllegalArgumentException("no parent for " + pointer);
        }
    }

    /** Appends a JSON value (given as text) to the array at the pointer. */
    static void append(ObjectNode root, String arrayPointer, String json) {
        try {
            ((ArrayNode) root.at(arrayPointer)).add(Json.MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the array at the pointer with the given JSON values. */
    static void replace(ObjectNode root, String arrayPointer, List<String> json) {
        ArrayNode a = (ArrayNode) root.at(arrayPointer);
        a.removeAll();
        json.forEach(j -> append(root, arrayPointer, j));
    }

    static void remove(ObjectNode root, String pointer) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = root.at(p.head());
        if (parent instanceof ObjectNode o) {
            o.remove(p.last().getMatchingProperty());
        } else {
            ((ArrayNode) parent).remove(p.last().getMatchingIndex());
        }
    }
}
