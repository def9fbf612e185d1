package org.secondgrid.gateway.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and validates the fields of a JSON object; every failure is a 400 naming the field (with its
 * path, e.g. {@code offers[2].kwh}) and the value that was sent.
 */
public final class Fields {

    private final JsonObject json;
    private final String prefix;

    private Fields(JsonObject json, String prefix) {
        this.json = json;
        this.prefix = prefix;
    }

    public static Fields of(JsonObject json) {
        return new Fields(json, "");
    }

    public String name(String field) {
        return prefix + field;
    }

    public boolean has(String field) {
        return json.containsKey(field) && json.getValue(field) != null;
    }

    /** True if the field is in the object, even as null. */
    public boolean present(String field) {
        return json.containsKey(field);
    }

    public Object raw(String field) {
        return json.getValue(field);
    }

    public String string(String field) {
        Object v = json.getValue(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw ApiException.invalid(name(field), name(field) + " must be a non-empty string, got " + show(v));
        }
        if (s.length() > 200) {
            throw ApiException.invalid(name(field), name(field) + " must have at most 200 characters, got "
                    + s.length());
        }
        return s;
    }

    public String optString(String field, String def) {
        return has(field) ? string(field) : def;
    }

    /** A string from a fixed set. */
    public String oneOf(String field, List<String> allowed) {
        String s = has(field) ? string(field) : null;
        if (s == null || !allowed.contains(s)) {
            throw ApiException.invalid(name(field), name(field) + " must be one of " + allowed + ", got "
                    + show(json.getValue(field)));
        }
        return s;
    }

    public double number(String field, double min, double max) {
        Object v = json.getValue(field);
        if (!(v instanceof Number n)) {
            throw ApiException.invalid(name(field), name(field) + " must be a number, got " + show(v));
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d) || d < min || d > max) {
            throw ApiException.invalid(name(field), name(field) + " must be between " + fmt(min) + " and "
                    + fmt(max) + ", got " + show(v));
        }
        return d;
    }

    public Double optNumber(String field, double min, double max) {
        return has(field) ? number(field, min, max) : null;
    }

    public int integer(String field, int min, int max) {
        Object v = json.getValue(field);
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw ApiException.invalid(name(field), name(field) + " must be an integer, got " + show(v));
        }
        long l = n.longValue();
        if (l < min || l > max) {
            throw ApiException.invalid(name(field), name(field) + " must be between " + min + " and " + max
                    + ", got " + show(v));
        }
        return (int) l;
    }

    public boolean bool(String field) {
        Object v = json.getValue(field);
        if (!(v instanceof Boolean b)) {
            throw ApiException.invalid(name(field), name(field) + " must be true or false, got " + show(v));
        }
        return b;
    }

    /** The elements of an array of objects, each as a {@code Fields} whose names carry the index. */
    public List<Fields> objects(String field, int maxSize) {
        Object v = json.getValue(field);
        if (!(v instanceof JsonArray arr)) {
            throw ApiException.invalid(name(field), name(field) + " must be an array, got " + show(v));
        }
        if (arr.size() > maxSize) {
            throw ApiException.invalid(name(field), name(field) + " must have at most " + maxSize
                    + " elements, got " + arr.size());
        }
        List<Fields> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            Object e = arr.getValue(i);
            String n = name(field) + "[" + i + "]";
            if (!(e instanceof JsonObject o)) {
                throw ApiException.invalid(n, n + " must be an object, got " + show(e));
            }
            out.add(new Fields(o, n + "."));
        }
        return out;
    }

    public List<String> strings(String field, int minSize, int maxSize) {
        Object v = json.getValue(field);
        if (!(v instanceof JsonArray arr) || arr.size() < minSize || arr.size() > maxSize) {
            throw ApiException.invalid(name(field), name(field) + " must be an array of " + minSize + " to "
                    + maxSize + " strings, got " + show(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            Object e = arr.getValue(i);
            if (!(e instanceof String s) || s.isBlank()) {
                String n = name(field) + "[" + i + "]";
                throw ApiException.invalid(n, n + " must be a non-empty string, got " + show(e));
            }
            out.add(s);
        }
        return out;
    }

    /** Rejects fields that are not in {@code known} (a typo must not be silently ignored). */
    public Fields only(String... known) {
        List<String> k = List.of(known);
        for (String f : json.fieldNames()) {
            if (!k.contains(f)) {
                throw ApiException.invalid(name(f), "unknown field " + name(f) + " (known: " + k + ")");
            }
        }
        return this;
    }

    /** An identifier as the market registry allows: 1-100 letters, digits, '.', '_', ':' or '-'. */
    public static String id(String field, String value) {
        if (value == null || !value.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")) {
            throw ApiException.invalid(field, field + " must be 1-100 letters, digits, '.', '_', ':' or '-'"
                    + " (starting with a letter or digit), got " + show(value));
        }
        return value;
    }

    public static LocalDate day(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field, field + " is required (YYYY-MM-DD), got " + show(value));
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, field + " must be a date YYYY-MM-DD, got " + show(value));
        }
    }

    public static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException | NullPointerException e) {
            throw ApiException.invalid(field, field + " must be an ISO-8601 instant such as 2026-12-05T01:00:00Z, got "
                    + show(value));
        }
    }

    public static String show(Object v) {
        if (v == null) {
            return "nothing";
        }
        String s = v instanceof String str ? "'" + str + "'" : String.valueOf(v);
        return s.length() > 80 ? s.substring(0, 77) + "...'" : s;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
