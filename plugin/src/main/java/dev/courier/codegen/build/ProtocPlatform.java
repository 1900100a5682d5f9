package dev.courier.codegen.build;

import java.util.Locale;
import java.util.Optional;

/**
 * The Maven classifier of the protoc binary for an OS and CPU, as published under
 * {@code com.google.protobuf:protoc:<version>:exe:<classifier>}. Stateless.
 *
 * @since 0.1.0
 */
public final class ProtocPlatform {

  private ProtocPlatform() {}

  /** The classifier for this JVM's {@code os.name} and {@code os.arch}. */
  public static Optional<String> current() {
    return classifier(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /**
   * The classifier for the given {@code os.name} and {@code os.arch} values: one of
   * {@code linux-x86_64}, {@code linux-aarch_64}, {@code osx-x86_64}, {@code osx-aarch_64},
   * {@code windows-x86_64}; empty when protoc is not published for that platform.
   */
  public static Optional<String> classifier(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    String osPart;
    if (os.startsWith("linux")) {
      osPart = "linux";
    } else if (os.startsWith("mac") || os.startsWith("darwin")) {
      osPart = "osx";
    } else if (os.startsWith("windows")) {
      osPart = "windows";
    } else {
      return Optional.empty();
    }
    String archPart;
    if (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x64")) {
      archPart = "x86_64";
    } else if (arch.equals("aarch64") || arch.equals("arm64")) {
      archPart = "aarch_64";
    } else {
      return Optional.empty();
    }
    if (osPart.equals("windows") && archPart.equals("aarch_64")) {
      return Optional.empty();
    }
    return Optional.of(osPart + "-" + archPart);
  }

  /** The message for a platform with no published protoc. */
  public static String unsupportedMessage(String osName, String osArch) {
    return "Courier: no protoc binary is published for " + osName + "/" + osArch
        + " (published: linux-x86_64, linux-aarch_64, osx-x86_64, osx-aarch_64, windows-x86_64);"
        + " install protoc and set <protocExecutable> (or -Dcourier.protocExecutable=/path/to/protoc)";
  }
}
