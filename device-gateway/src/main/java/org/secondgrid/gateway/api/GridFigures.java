package org.secondgrid.gateway.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;

/**
 * Per-slot imbalance and backflow by feeder for the operator's views, from delivery. Each answers
 * {@code {day, available, feeders:[{feeder, slots:[{slot, kwh}]}], note}}.
 */
public interface GridFigures {

    JsonObject imbalance(LocalDate day);

    JsonObject backflow(LocalDate day);

    /** Used while no delivery service is wired: says so, with empty series. */
    static GridFigures none() {
        return new GridFigures() {
            @Override
            public JsonObject imbalance(LocalDate day) {
                return empty(day);
            }

            @Override
            public JsonObject backflow(LocalDate day) {
                return empty(day);
            }

            private JsonObject empty(LocalDate day) {
                return new JsonObject().put("day", day.toString()).put("available", false).put("feeders", new JsonArray())
                        .put("note", "no delivery service in this gateway");
            }
        };
    }
}
