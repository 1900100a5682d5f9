package dev.courier.codegen.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .proto} files of dependency jars, listed and extracted through the jar's central
 * directory, against what {@link ZipFile} reads from the same jars; and jars that reader does not
 * take, which fall back to {@code ZipFile}.
 */
class DependencyProtosTest {
  @TempDir Path work;

  @Test
  void listsAndExtractsStoredAndDeflatedProtosAsZipFileReadsThem() throws Exception {
    Path jar = jar(work.resolve("deps.jar"), null);

    try (JarProtoEntries direct = JarProtoEntries.open(jar)) {
      assertThat(direct.readsDirectly()).isTrue();
      assertThat(direct.entries()).extracting(JarProtoEntries.Entry::name)
          .containsExactly("google/api/http.proto", "stored/small.proto", "empty.proto");
    }
    List<String> lines = new ArrayList<>();
    int copied = DependencyProtos.extract(jar, work.resolve("out"), lines);

    assertThat(copied).isEqualTo(3);
    assertThat(lines).isEqualTo(zipFileLines(jar)).hasSize(3);
    assertThat(DependencyProtos.fingerprintLines(jar)).isEqualTo(lines);
    assertExtracted(work.resolve("out"));
  }

  @Test
  void aJarWithAPrefixIsReadThroughZipFile() throws Exception {
    Path jar = jar(work.resolve("launcher.jar"), "#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n");

    try (JarProtoEntries fallback = JarProtoEntries.open(jar)) {
      assertThat(fallback.readsDirectly()).isFalse();
    }
    List<String> lines = new ArrayList<>();
    int copied = DependencyProtos.extract(jar, work.resolve("out"), lines);

    assertThat(copied).isEqualTo(3);
    assertThat(lines).isEqualTo(zipFileLines(jar)).hasSize(3);
    assertExtracted(work.resolve("out"));
  }

  @Test
  void theFirstCopyOfAPathWins() throws Exception {
    Path out = work.resolve("out");
    Files.createDirectories(out.resolve("google/api"));
    Files.writeString(out.resolve("google/api/http.proto"), "mine");

    int copied = DependencyProtos.extract(jar(work.resolve("deps.jar"), null), out, new ArrayList<>());

    assertThat(copied).isEqualTo(2);
    assertThat(out.resolve("google/api/http.proto")).hasContent("mine");
  }

  private static void assertExtracted(Path out) throws IOException {
    assertThat(out.resolve("google/api/http.proto")).hasContent(HTTP);
    assertThat(out.resolve("stored/small.proto")).hasContent("syntax = \"proto3\";\n");
    assertThat(out.resolve("empty.proto")).exists().isEmptyFile();
    assertThat(out.resolve("META-INF")).doesNotExist();
    assertThat(out.resolve("Some.class")).doesNotExist();
  }

  private static final String HTTP = "syntax = \"proto3\";\n" + "// a comment that compresses well\n".repeat(200);

  /** A jar with deflated and stored protos, a proto under META-INF, a folder and a class; {@code prefix} before it. */
  private static Path jar(Path path, String prefix) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("google/"));
      zip.closeEntry();
      add(zip, "google/api/http.proto", HTTP, false);
      add(zip, "Some.class", "not a class", false);
      add(zip, "META-INF/maven/dep/options.proto", "ignored", false);
      add(zip, "stored/small.proto", "syntax = \"proto3\";\n", true);
      add(zip, "empty.proto", "", true);
    }
    try (OutputStream out = Files.newOutputStream(path)) {
      if (prefix != null) {
        out.write(prefix.getBytes(StandardCharsets.UTF_8));
      }
      bytes.writeTo(out);
    }
    return path;
  }

  private static void add(ZipOutputStream zip, String name, String text, boolean stored) throws IOException {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    ZipEntry entry = new ZipEntry(name);
    if (stored) {
      CRC32 crc = new CRC32();
      crc.update(content);
      entry.setMethod(ZipEntry.STORED);
      entry.setSize(content.length);
      entry.setCompressedSize(content.length);
      entry.setCrc(crc.getValue());
    }
    zip.putNextEntry(entry);
    zip.write(content);
    zip.closeEntry();
  }

  private static List<String> zipFileLines(Path jar) throws IOException {
    List<String> lines = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (!e.isDirectory() && e.getName().endsWith(".proto") && !e.getName().startsWith("META-INF/")) {
          lines.add(e.getName() + " " + e.getSize() + " " + Long.toHexString(e.getCrc()));
        }
      }
    }
    lines.sort(null);
    return lines;
  }
}
