package dev.courier.codegen.build;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real protoc binary, copied by maven-dependency-plugin and named by a surefire property. */
final class TestProtoc {
  private TestProtoc() {}

  static Path path() {
    String property = System.getProperty("courier.test.protoc");
    if (property == null) {
      throw new IllegalStateException("system property courier.test.protoc is not set: run the tests with Maven");
    }
    Path protoc = Path.of(property);
    if (!Files.isExecutable(protoc) && !protoc.toFile().setExecutable(true)) {
      throw new IllegalStateException("cannot make " + protoc + " executable");
    }
    return protoc;
  }

  static ProtocSource source() {
    return ProtocSource.local(path());
  }
}
