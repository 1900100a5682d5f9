package dev.courier.codegen.model;

import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ModelReader#read} makes of one descriptor set, once per build: the validated
 * services, which the Java generators and the docs both work from, and the linked descriptors of
 * every file of the set, from which the docs read messages, fields and comments. Immutable.
 *
 * @param services the services of the files to generate, in file then declaration order
 * @param files every file of the set (imports included) as a linked descriptor, by path as protoc
 *     names it, in dependency order
 * @param sources every file's source locations (comments and lines), by path
 * @since 0.1.0
 */
public record CodegenModel(List<ServiceModel> services, Map<String, FileDescriptor> files, SourceIndex sources) {

  public CodegenModel {
    services = List.copyOf(services);
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    Objects.requireNonNull(sources, "sources");
  }
}
