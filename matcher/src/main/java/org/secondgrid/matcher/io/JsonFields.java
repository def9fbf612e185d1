package org.secondgrid.matcher.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reads typed fields out of a JSON tree and records every problem with its path and value
 * (e.g. {@code evs[3].minKwh="abc" is not a number}) instead of stopping at the first one.
 */
final class JsonFields {

    final List<String> problems = new ArrayList<>();

    String text(JsonNode obj, String path, String name, String dflt) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                problems.add(path(path, name) + " is missing");
            }
            return dflt;
        }
        if (!n.isTextual()) {
            problems.add(path(path, name) + "=" + n + " is not a string");
            return dflt == null ? "" : dflt;
        }
        return n.asText();
    }

    double number(JsonNode obj, String path, String name, Double dflt) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                problems.add(path(path, name) + " is missing");
                return 0;
            }
            return dflt;
        }
        if (!n.isNumber()) {
            problems.add(path(path, name) + "=" + n + " is not a number");
            return 0;
        }
        return n.asDouble();
    }

    int integer(JsonNode obj, String path, String name, Integer dflt) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                problems.add(path(path, name) + " is missing");
                return 0;
            }
            return dflt;
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
            problems.add(path(path, name) + "=" + n + " is not an integer");
            return 0;
        }
        return n.asInt();
    }

    <T> List<T> list(JsonNode obj, String name, boolean required, BiFunction<JsonNode, String, T> element) {
        JsonNode n = obj.get(name);
        List<T> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            if (required) {
                problems.add(name + " is missing");
            }
            return out;
        }
        if (!n.isArray()) {
            problems.add(name + "=" + abbreviate(n) + " is not an array");
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            String p = name + "[" + i + "]";
            JsonNode e = n.get(i);
            if (!e.isObject()) {
                problems.add(p + "=" + abbreviate(e) + " is not an object");
                continue;
            }
            out.add(element.apply(e, p));
        }
        return out;
    }

    static String path(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
