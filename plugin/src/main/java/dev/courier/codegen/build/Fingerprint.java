package dev.courier.codegen.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a generation run depends on, as one {@link ContentChecksum} per part, so the cache can say
 * which part changed: {@code sources} (every proto file's path and content), {@code dependencies} (the
 * {@code .proto} entries of every dependency jar, in classpath order), {@code tool} (plugin
 * version and jar, protoc identity, the bundled {@code courier/options.proto}) and
 * {@code parameters}, and {@code docs} (whether docs are rendered, where to, and the content of
 * every default and user template, see {@link TemplateInputs}).
 * Immutable.
 *
 * @param parts part name to hex digest, sorted by name
 * @since 0.1.0
 */
record Fingerprint(Map<String, String> parts) {

  /** Bumped whenever what goes into a part changes, so old state files rebuild. */
  public static final String FORMAT = "4";

  public Fingerprint {
    parts = Map.copyOf(parts);
  }

  /** Computes the fingerprint of a request whose proto files are {@code protoFiles}. */
  public static Fingerprint of(CodegenRequest request, List<String> protoFiles) throws IOException {
    return of(request, protoFiles, new DependencyScanCache(request.workDirectory().resolve("dependency-scan.txt")));
  }

  /** As {@link #of(CodegenRequest, List)}, reading each dependency jar through {@code scans}. */
  static Fingerprint of(CodegenRequest request, List<String> protoFiles, DependencyScanCache scans)
      throws IOException {
    Map<String, String> parts = new TreeMap<>();
    parts.put("format", FORMAT);

    ContentChecksum sources = new ContentChecksum();
    for (String file : protoFiles) {
      sources.add(file).add(ContentChecksum.of(Files.readAllBytes(request.protoSourceRoot().resolve(file))));
    }
    parts.put("sources", sources.hex());

    ContentChecksum dependencies = new ContentChecksum();
    for (Path dependency : request.dependencyPaths()) {
      String digest = scans.digest(dependency);
      if (!digest.isEmpty()) {
        dependencies.add(dependency.toString()).add(digest);
      }
    }
    parts.put("dependencies", dependencies.hex());

    parts.put("tool", new ContentChecksum().add(request.pluginVersion()).add(request.protoc().id())
        .add(ContentChecksum.of(ImportPathLayout.courierOptionsProto()))
        .add(ImportPathLayout.protobufJavaLocation().getFileName().toString())
        .add(codeIdentity())
        .hex());

    parts.put("parameters", new ContentChecksum().add(request.protoSourceRoot().toString())
        .add(String.join(",", request.includes())).add(String.join(",", request.excludes()))
        .add(request.outputDirectory().toString()).add(Boolean.toString(request.generateMessages()))
        .add(request.javaNames().toString()).add(request.runtimeCheck().fingerprint())
        .hex());

    ContentChecksum docs = new ContentChecksum();
    if (request.docs().isPresent()) {
      docs.add(request.docs().get().outputDirectory().toString()).add(request.docs().get().generator());
      for (String line : TemplateInputs.fingerprintLines(request.docs().get())) {
        docs.add(line);
      }
    } else {
      docs.add("off");
    }
    parts.put("docs", docs.hex());
    return new Fingerprint(parts);
  }

  /**
   * The size and time of the jar the generator runs from, so that a rebuilt snapshot of the
   * plugin regenerates even though its version did not change; empty when run from classes.
   */
  private static String codeIdentity() throws IOException {
    java.security.CodeSource source = Fingerprint.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "";
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(location)
          ? Files.size(location) + ":" + Files.getLastModifiedTime(location).toMillis()
          : "";
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return "";
    }
  }

  /** Sorted {@code name=digest} lines, the state file's format. */
  public List<String> toLines() {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, String> part : new TreeMap<>(parts).entrySet()) {
      lines.add(part.getKey() + "=" + part.getValue());
    }
    return List.copyOf(lines);
  }

  /** Parses {@link #toLines()}; unknown or broken lines are ignored (the cache then rebuilds). */
  public static Fingerprint parse(List<String> lines) {
    Map<String, String> parts = new TreeMap<>();
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        parts.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new Fingerprint(parts);
  }
}
