package org.secondgrid.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Field validation: every refusal is a 400 naming the field (with its path) and the value sent. */
class ApiFieldsTest {

    private static ApiException refusal(Runnable r) {
        try {
            r.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void numbersMustBeNumbersInRange() {
        Fields f = Fields.of(new JsonObject().put("kwh", "5").put("ask", -1).put("nan", Double.NaN).put("ok", 2.5));
        ApiException e = refusal(() -> f.number("kwh", 0, 10));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("kwh");
        assertThat(e.getMessage()).contains("'5'");
        assertThat(refusal(() -> f.number("ask", 0, 10)).getMessage()).contains("between 0 and 10").contains("-1");
        assertThat(refusal(() -> f.number("nan", 0, 10)).field()).isEqualTo("nan");
        assertThat(refusal(() -> f.number("missing", 0, 10)).getMessage()).contains("got nothing");
        assertThat(f.number("ok", 0, 10)).isEqualTo(2.5);
    }

    @Test
    void integersRejectFractionsAndNestedFieldsCarryTheirPath() {
        Fields f = Fields.of(new JsonObject().put("offers", new JsonArray()
                .add(new JsonObject().put("slot", 3))
                .add(new JsonObject().put("slot", 4.5))));
        List<Fields> offers = f.objects("offers", 10);
        assertThat(offers.get(0).integer("slot", 0, 47)).isEqualTo(3);
        ApiException e = refusal(() -> offers.get(1).integer("slot", 0, 47));
        assertThat(e.field()).isEqualTo("offers[1].slot");
        assertThat(e.getMessage()).contains("4.5");
        assertThat(refusal(() -> Fields.of(new JsonObject().put("offers", new JsonArray().add("x")))
                .objects("offers", 10)).field()).isEqualTo("offers[0]");
        assertThat(refusal(() -> f.objects("offers", 1)).getMessage()).contains("at most 1");
    }

    @Test
    void unknownFieldsAndBadChoicesAreNamed() {
        Fields f = Fields.of(new JsonObject().put("mode", "sometimes").put("maxbid", 3));
        assertThat(refusal(() -> f.only("mode", "maxBidJpyPerKwh")).field()).isEqualTo("maxbid");
        ApiException e = refusal(() -> f.oneOf("mode", List.of("auto", "manual")));
        assertThat(e.field()).isEqualTo("mode");
        assertThat(e.getMessage()).contains("[auto, manual]").contains("'sometimes'");
    }

    @Test
    void idsDaysAndInstantsAreChecked() {
        assertThat(Fields.id("id", "site-7:a.b_c")).isEqualTo("site-7:a.b_c");
        assertThat(refusal(() -> Fields.id("id", "../etc")).getMessage()).contains("'../etc'");
        assertThat(refusal(() -> Fields.id("id", "x".repeat(101))).field()).isEqualTo("id");
        assertThat(Fields.day("day", "2026-12-05")).hasToString("2026-12-05");
        assertThat(refusal(() -> Fields.day("day", "2026-02-30")).getMessage()).contains("2026-02-30");
        assertThat(refusal(() -> Fields.day("day", null)).getMessage()).contains("required");
        assertThat(refusal(() -> Fields.instant("from", "yesterday")).field()).isEqualTo("from");
    }

    @Test
    void errorBodyHasCodeMessageAndField() {
        JsonObject b = ApiException.invalid("kwh", "kwh must be a number, got 'x'").toJson();
        assertThat(b.fieldNames()).containsExactlyInAnyOrder("code", "message", "field");
        assertThat(b.getString("code")).isEqualTo("INVALID_FIELD");
        JsonObject nf = ApiException.notFound("site", "s-1").toJson();
        assertThat(nf.getString("message")).isEqualTo("site 's-1' not found");
        assertThat(nf.getValue("field")).isNull();
        assertThat(nf.containsKey("field")).isTrue();
    }
}
