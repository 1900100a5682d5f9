package dev.courier.codegen.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Problem lines become IDE marker locations only when they name a file Courier can point at. */
class ProblemLocationTest {

  @TempDir Path temp;

  @Test
  void protocLinesKeepTheirAbsoluteFileLineAndColumn() {
    Optional<ProblemLocation> p = ProblemLocation.parse("/p/src/main/proto/shop/item.proto:7:3: Expected \";\".",
        temp, Optional.empty());

    assertThat(p).contains(new ProblemLocation(Path.of("/p/src/main/proto/shop/item.proto"), 7, 3, "Expected \";\"."));
  }

  @Test
  void courierLinesResolveAgainstTheProtoSourceRoot() {
    Optional<ProblemLocation> p = ProblemLocation.parse(
        "shop/item.proto:12: service shop.Items, method Get: hash_key \"skew\" is not a field", temp, Optional.empty());

    assertThat(p).contains(new ProblemLocation(temp.resolve("shop/item.proto"), 12, 0,
        "service shop.Items, method Get: hash_key \"skew\" is not a field"));
  }

  @Test
  void templateLinesPointIntoTheUserTemplateDirectoryOnly() throws Exception {
    Path templates = temp.resolve("courier-templates");
    Files.createDirectories(templates.resolve("service"));
    Files.writeString(templates.resolve("service/x.md.ftl"), "${nope}");
    String line = "template service/x.md.ftl, line 1: ${nope} is missing or null";

    assertThat(ProblemLocation.parse(line, temp, Optional.of(templates)))
        .contains(new ProblemLocation(templates.resolve("service/x.md.ftl"), 1, 0, "${nope} is missing or null"));
    assertThat(ProblemLocation.parse("template service/reference.md.ftl, line 3: boom", temp, Optional.of(templates)))
        .as("a default template has no file in the project").isEmpty();
    assertThat(ProblemLocation.parse("template ../../etc/passwd, line 3: boom", temp, Optional.of(templates))).isEmpty();
  }

  @Test
  void hintsAndSummariesHaveNoLocation() {
    assertThat(ProblemLocation.parse("  Courier: import \"a.proto\" was not found", temp, Optional.empty())).isEmpty();
    assertThat(ProblemLocation.parse("Courier: protoc failed with 1 error(s)", temp, Optional.empty())).isEmpty();
  }
}
