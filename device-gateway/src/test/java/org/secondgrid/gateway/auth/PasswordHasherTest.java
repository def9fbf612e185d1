package org.secondgrid.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.secondgrid.gateway.ingest.Device;

class PasswordHasherTest {

    @Test
    void hashesInMosquittosFormatAndVerifies() {
        String h = PasswordHasher.hash("s3cret-pw", 1000);
        assertThat(h).matches("\\$7\\$1000\\$[A-Za-z0-9+/=]{16}\\$[A-Za-z0-9+/=]{88}");
        assertThat(PasswordHasher.verify("s3cret-pw", h)).isTrue();
        assertThat(PasswordHasher.verify("s3cret-pX", h)).isFalse();
        assertThat(PasswordHasher.verify("s3cret-pw", "garbage")).isFalse();
        assertThat(PasswordHasher.hash("s3cret-pw", 1000)).as("salted").isNotEqualTo(h);
    }

    @Test
    void refusesEmptyPasswords() {
        assertThatThrownBy(() -> PasswordHasher.hash("", 1000)).hasMessageContaining("empty");
    }

    @Test
    void aclLetsEachDeviceWriteOnlyItsOwnTopic() {
        String acl = MosquittoFiles.acl(List.of(new Device("m-1", "aizu", "s-1", "meters", 6, null),
                new Device("c-1", "aizu", "s-1", "chargers", 7, null)), "gateway");
        assertThat(acl).contains("user m-1\ntopic write secondgrid/aizu/meters/m-1/reading\n"
                + "topic read secondgrid/aizu/errors/m-1\n");
        assertThat(acl).contains("user c-1\ntopic write secondgrid/aizu/chargers/c-1/status\n");
        assertThat(acl).contains("topic read secondgrid/aizu/chargers/c-1/setpoint");
        assertThat(acl).contains("user gateway\ntopic read secondgrid/#\n");
        assertThat(MosquittoFiles.passwords(java.util.Map.of("m-1", "$7$1$a$b"), "gateway", "$7$1$c$d"))
                .isEqualTo("gateway:$7$1$c$d\nm-1:$7$1$a$b\n");
    }
}
