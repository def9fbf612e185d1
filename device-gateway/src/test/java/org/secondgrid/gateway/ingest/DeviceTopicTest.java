package org.secondgrid.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceTopicTest {

    @Test
    void parsesEachDeviceKind() {
        assertThat(DeviceTopic.parse("secondgrid/aizu-demo/meters/m-7/reading"))
                .contains(new DeviceTopic("aizu-demo", "meters", "m-7", "reading"));
        assertThat(DeviceTopic.parse("secondgrid/aizu-demo/chargers/c-1/status")).isPresent();
        assertThat(DeviceTopic.parse("secondgrid/aizu-demo/evs/ev-3/state").orElseThrow().deviceId())
                .isEqualTo("ev-3");
    }

    @Test
    void rejectsTopicsThatAreNotTelemetry() {
        assertThat(DeviceTopic.parse("secondgrid/aizu-demo/meters/m-7/status")).isEmpty();
        assertThat(DeviceTopic.parse("secondgrid/aizu-demo/meters//reading")).isEmpty();
        assertThat(DeviceTopic.parse("other/aizu-demo/meters/m-7/reading")).isEmpty();
        assertThat(DeviceTopic.parse("secondgrid/aizu-demo/meters/m-7/reading/x")).isEmpty();
        assertThat(DeviceTopic.parse(null)).isEmpty();
    }

    @Test
    void roundTripsToTheSameTopic() {
        String t = "secondgrid/m1/chargers/c-9/status";
        assertThat(DeviceTopic.parse(t).orElseThrow().topic()).isEqualTo(t);
    }
}
