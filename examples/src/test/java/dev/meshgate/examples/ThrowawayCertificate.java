package dev.meshgate.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate and its key as PEM, made once per test run with the JDK's {@code
 * keytool} (no extra dependency), for static bootstraps that need real TLS material Envoy can load.
 * Never used to protect anything.
 */
record ThrowawayCertificate(String certificatePem, String privateKeyPem) {
  private static final char[] PASSWORD = "throwaway".toCharArray();
  private static ThrowawayCertificate instance;

  static synchronized ThrowawayCertificate get() {
    if (instance == null) {
      instance = generate();
    }
    return instance;
  }

  private static ThrowawayCertificate generate() {
    try {
      Path dir = Files.createTempDirectory("meshgate-cert");
      Path store = dir.resolve("store.p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process process =
          new ProcessBuilder(
                  keytool.toString(),
                  "-genkeypair",
                  "-alias",
                  "mesh",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-sigalg",
                  "SHA256withECDSA",
                  "-dname",
                  "CN=meshgate-validate",
                  "-validity",
                  "2",
                  "-ext",
                  "san=uri:spiffe://meshgate.local/service/validate",
                  "-ext",
                  "bc:c=ca:true",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  store.toString(),
                  "-storepass",
                  new String(PASSWORD),
                  "-keypass",
                  new String(PASSWORD))
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keyStore.load(in, PASSWORD);
      }
      Certificate cert = keyStore.getCertificate("mesh");
      Key key = keyStore.getKey("mesh", PASSWORD);
      Files.delete(store);
      Files.delete(dir);
      return new ThrowawayCertificate(
          pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", key.getEncoded()));
    } catch (IOException | InterruptedException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("could not make a throwaway certificate", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
