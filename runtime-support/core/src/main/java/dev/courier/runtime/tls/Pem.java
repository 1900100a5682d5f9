package dev.courier.runtime.tls;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Objects;

/** Reads PEM material eagerly, so that a missing file fails where it is configured. */
final class Pem {
  private Pem() {}

  static byte[] read(String what, File file) {
    Objects.requireNonNull(file, what);
    try {
      return Files.readAllBytes(file.toPath());
    } catch (IOException e) {
      throw new UncheckedIOException(what + ": cannot read " + file + " (expected: a readable PEM file)", e);
    }
  }

  /** Reads {@code in} to its end; the caller closes it. */
  static byte[] read(String what, InputStream in) {
    Objects.requireNonNull(in, what);
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(what + ": cannot read the stream (expected: PEM text)", e);
    }
  }

  static String describe(byte[] pem) {
    return pem == null ? null : "PEM(" + pem.length + " bytes)";
  }
}
