package org.secondgrid.gateway.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA512 password hashes in Mosquitto's {@code $7$} format:
 * {@code $7$iterations$base64(salt)$base64(hash)} (12-byte salt, 64-byte hash). The same string serves
 * the embedded HiveMQ extension and a generated Mosquitto password file, so the registry never keeps
 * a plain password. The iteration count travels with the hash.
 */
public final class PasswordHasher {

    /** Iterations for new hashes; {@code SECONDGRID_PBKDF2_ITERATIONS} overrides it. */
    public static final int ITERATIONS = Integer.parseInt(
            System.getenv().getOrDefault("SECONDGRID_PBKDF2_ITERATIONS", "10000"));
    /**
     * Iterations for secrets the gateway generates itself (144 random bits, e.g. a new device's broker password):
     * key stretching protects guessable passwords, and a random 144-bit secret is not guessable, so Mosquitto's own
     * default for {@code $7$} (101) is used. It keeps a town's connect storm cheap: the broker verifies one hash per
     * CONNECT ({@code SECONDGRID_GENERATED_SECRET_ITERATIONS} overrides it).
     */
    public static final int GENERATED_SECRET_ITERATIONS = Integer.parseInt(
            System.getenv().getOrDefault("SECONDGRID_GENERATED_SECRET_ITERATIONS", "101"));
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher() {
    }

    public static String hash(String password) {
        return hash(password, ITERATIONS);
    }

    public static String hash(String password, int iterations) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("a device password must not be empty");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("PBKDF2 iterations must be >= 1, got " + iterations);
        }
        byte[] salt = new byte[12];
        RANDOM.nextBytes(salt);
        byte[] h = pbkdf2(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder();
        return "$7$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    public static boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        String[] p = stored.split("\\$");
        // "", "7", iterations, salt, hash
        if (p.length != 5 || !p[0].isEmpty() || !"7".equals(p[1])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(p[2]);
            byte[] salt = Base64.getDecoder().decode(p[3]);
            byte[] expected = Base64.getDecoder().decode(p[4]);
            return MessageDigest.isEqual(expected, pbkdf2(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 512);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 is not available: " + e.getMessage(), e);
        }
    }
}
