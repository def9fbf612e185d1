package org.secondgrid.matcher.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.io.Json;

/**
 * Writes an instance as compact JSON with one record (feeder, site, offer, bid, EV) per line, fields in the order of
 * the contract, so large towns stay small on disk and diff line by line. Reads back with {@code InstanceJson}.
 */
public final class InstanceWriter {

    private static final ObjectWriter COMPACT = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private InstanceWriter() {
    }

    public static void write(Instance in, Writer out) throws IOException {
        out.write("{\n");
        field(out, "modelVersion", in.modelVersion());
        field(out, "market", in.market());
        field(out, "deliveryDay", in.deliveryDay());
        field(out, "timeZone", in.timeZone());
        field(out, "slots", in.slots());
        field(out, "slotMinutes", in.slotMinutes());
        field(out, "gridFeeJpyPerKwh", in.gridFeeJpyPerKwh());
        field(out, "speedKmh", in.speedKmh());
        array(out, "feeders", in.feeders());
        array(out, "sites", in.sites());
        array(out, "offers", in.offers());
        array(out, "bids", in.bids());
        array(out, "evs", in.evs());
        out.write("\"distancesKm\": " + json(in.distancesKm()) + "\n}\n");
    }

    public static String write(Instance in) {
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            write(in, w);
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen with a StringWriter", e);
        }
        return w.toString();
    }

    private static void field(Writer out, String name, Object value) throws IOException {
        out.write("\"" + name + "\": " + json(value) + ",\n");
    }

    private static void array(Writer out, String name, List<?> items) throws IOException {
        out.write("\"" + name + "\": [");
        for (int i = 0; i < items.size(); i++) {
            out.write(i == 0 ? "\n  " : ",\n  ");
            out.write(json(items.get(i)));
        }
        out.write(items.isEmpty() ? "],\n" : "\n],\n");
    }

    private static String json(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }
}
