package dev.meshgate.cli.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys in PEM, as {@code openssl genpkey -algorithm ed25519} (PKCS#8 "PRIVATE KEY") and
 * {@code openssl pkey -pubout} ("PUBLIC KEY") write them, and signatures over manifest.json (the
 * raw 64 bytes, so {@code openssl pkeyutl -verify -rawin} checks them too). The JDK's own Ed25519.
 */
public final class Ed25519Keys {
  private static final String ALGORITHM = "Ed25519";
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private Ed25519Keys() {}

  /** The private key in {@code file} (PKCS#8 PEM). */
  public static PrivateKey readPrivate(Path file) throws BundleException {
    byte[] der = der(file, "PRIVATE KEY", "openssl genpkey -algorithm ed25519 -out " + file);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new BundleException(
          file
              + " is not an Ed25519 private key (make one with: openssl genpkey -algorithm ed25519)");
    }
  }

  /** The public key in {@code file} (X.509 SubjectPublicKeyInfo PEM). */
  public static PublicKey readPublic(Path file) throws BundleException {
    byte[] der = der(file, "PUBLIC KEY", "openssl pkey -in KEY.pem -pubout -out " + file);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new BundleException(
          file + " is not an Ed25519 public key (make it with: openssl pkey -in KEY.pem -pubout)");
    }
  }

  static byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with an Ed25519 key", e);
    }
  }

  static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false; // a signature of the wrong length, say: it does not verify either
    }
  }

  private static byte[] der(Path file, String type, String howToMake) throws BundleException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new BundleException("cannot read key " + file + ": " + e.getMessage());
    }
    Matcher m = PEM.matcher(text);
    if (!m.find() || !m.group(1).equals(type)) {
      throw new BundleException(
          file + " holds no PEM \"" + type + "\" (make one with: " + howToMake + ")");
    }
    try {
      return Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new BundleException(file + " is not valid PEM");
    }
  }
}
