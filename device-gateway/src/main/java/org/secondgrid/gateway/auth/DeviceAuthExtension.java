package org.secondgrid.gateway.auth;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.secondgrid.gateway.ingest.Device;
import org.secondgrid.gateway.store.DeviceRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded HiveMQ extension backed by the device registry. Every device logs in with its own id as
 * user name and its own password (checked against the salted PBKDF2 hash in the registry) and may
 * publish only on its own telemetry topic and subscribe only to its own error topic; everything else
 * is denied (a denied QoS 1 publish gets PUBACK "not authorized"). The gateway's service account may
 * subscribe to all telemetry (shared subscriptions) and publish error reports.
 */
public final class DeviceAuthExtension implements ExtensionMain {

    private static final Logger log = LoggerFactory.getLogger(DeviceAuthExtension.class);

    private final DeviceRepository devices;
    private final String serviceUser;
    private final String servicePassword;
    /** user → SHA-256 of the password last verified with PBKDF2 (saves PBKDF2 on reconnects). */
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    public DeviceAuthExtension(DeviceRepository devices, String serviceUser, String servicePassword) {
        this.devices = devices;
        this.serviceUser = serviceUser;
        this.servicePassword = servicePassword;
    }

    @Override
    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
        Services.securityRegistry().setAuthenticatorProvider(i -> (SimpleAuthenticator) this::onConnect);
        log.info("device authentication extension started (service account '{}')", serviceUser);
    }

    @Override
    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
    }

    private void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        Optional<String> user = input.getConnectPacket().getUserName();
        Optional<ByteBuffer> pw = input.getConnectPacket().getPassword();
        if (user.isEmpty() || pw.isEmpty()) {
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "user name and password required");
            return;
        }
        String password = StandardCharsets.UTF_8.decode(pw.get().duplicate()).toString();
        String name = user.get();
        ModifiableDefaultPermissions perms = output.getDefaultPermissions();
        perms.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        if (name.equals(serviceUser)) {
            if (!MessageDigest.isEqual(servicePassword.getBytes(StandardCharsets.UTF_8),
                    password.getBytes(StandardCharsets.UTF_8))) {
                output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad credentials");
                return;
            }
            perms.add(allow("secondgrid/#", TopicPermission.MqttActivity.SUBSCRIBE));
            perms.add(allow("secondgrid/+/errors/+", TopicPermission.MqttActivity.PUBLISH));
            perms.add(allow("secondgrid/+/chargers/+/setpoint", TopicPermission.MqttActivity.PUBLISH));
            output.authenticateSuccessfully();
            return;
        }
        Device d;
        try {
            d = devices.find(name);
            if (d == null || !passwordMatches(name, password)) {
                output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad credentials");
                return;
            }
        } catch (RuntimeException e) {
            log.warn("device registry unavailable while authenticating {}: {}", name, e.getMessage());
            output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "device registry unavailable");
            return;
        }
        perms.add(allow(d.telemetryTopic(), TopicPermission.MqttActivity.PUBLISH));
        perms.add(allow("secondgrid/" + d.market() + "/errors/" + d.deviceId(), TopicPermission.MqttActivity.SUBSCRIBE));
        if ("chargers".equals(d.kind())) {
            perms.add(allow("secondgrid/" + d.market() + "/chargers/" + d.deviceId() + "/setpoint",
                    TopicPermission.MqttActivity.SUBSCRIBE));
        }
        output.authenticateSuccessfully();
    }

    private boolean passwordMatches(String user, String password) {
        String digest = sha256(password);
        if (digest.equals(verified.get(user))) {
            return true;
        }
        Optional<String> hash = devices.passwordHash(user);
        if (hash.isPresent() && PasswordHasher.verify(password, hash.get())) {
            verified.put(user, digest);
            return true;
        }
        verified.remove(user);
        return false;
    }

    private static TopicPermission allow(String filter, TopicPermission.MqttActivity activity) {
        return Builders.topicPermission().topicFilter(filter).type(TopicPermission.PermissionType.ALLOW)
                .activity(activity).build();
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
