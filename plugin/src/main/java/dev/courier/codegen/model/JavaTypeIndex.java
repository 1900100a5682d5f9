package dev.courier.codegen.model;

import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where protoc's {@code --java_out} puts each message, and which top-level Java types each Java
 * package already holds, so that Courier's types neither misname a message nor clash with one.
 */
final class JavaTypeIndex {
  /** Top-level type simple name → what declares it, per Java package. */
  private final Map<String, Map<String, String>> topLevelByPackage = new TreeMap<>();
  private final Map<FileDescriptor, String> outerClassNames = new LinkedHashMap<>();

  JavaTypeIndex(List<FileDescriptor> files) {
    for (FileDescriptor file : files) {
      String outer = outerClassName(file);
      outerClassNames.put(file, outer);
      Map<String, String> names = topLevelByPackage.get(javaPackage(file));
      if (names == null) {
        names = new TreeMap<>();
        topLevelByPackage.put(javaPackage(file), names);
      }
      names.putIfAbsent(outer, "the outer class protoc generates for " + file.getName());
      if (multipleFiles(file)) {
        for (Descriptor message : file.getMessageTypes()) {
          names.putIfAbsent(message.getName(), "message " + message.getFullName() + " in " + file.getName());
        }
        for (EnumDescriptor e : file.getEnumTypes()) {
          names.putIfAbsent(e.getName(), "enum " + e.getFullName() + " in " + file.getName());
        }
      }
    }
  }

  static String javaPackage(FileDescriptor file) {
    FileOptions options = file.getOptions();
    return options.hasJavaPackage() ? options.getJavaPackage() : file.getPackage();
  }

  static boolean multipleFiles(FileDescriptor file) {
    return file.getOptions().getJavaMultipleFiles();
  }

  String outerClassName(FileDescriptor file) {
    String known = outerClassNames.get(file);
    if (known != null) {
      return known;
    }
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String name = JavaNames.defaultOuterClassName(file.getName());
    return declaredNames(file).contains(name) ? name + "OuterClass" : name;
  }

  /** The file's outer class, as a type. */
  TypeRef fileClass(FileDescriptor file) {
    return new TypeRef(file.getName(), javaPackage(file), List.of(outerClassName(file)), false);
  }

  /** The Java class of {@code message}. */
  TypeRef typeOf(Descriptor message) {
    List<String> names = new ArrayList<>();
    for (Descriptor d = message; d != null; d = d.getContainingType()) {
      names.add(0, d.getName());
    }
    FileDescriptor file = message.getFile();
    if (!multipleFiles(file)) {
      names.add(0, outerClassName(file));
    }
    return new TypeRef(message.getFullName(), javaPackage(file), names, message.getOptions().getDeprecated());
  }

  /** Top-level type names already taken in {@code javaPackage}, each with what declares it. */
  Map<String, String> topLevelNames(String javaPackage) {
    return topLevelByPackage.getOrDefault(javaPackage, Map.of());
  }

  private static Set<String> declaredNames(FileDescriptor file) {
    Set<String> names = new HashSet<>();
    for (ServiceDescriptor s : file.getServices()) {
      names.add(s.getName());
    }
    for (EnumDescriptor e : file.getEnumTypes()) {
      names.add(e.getName());
    }
    for (Descriptor message : file.getMessageTypes()) {
      addNames(message, names);
    }
    return names;
  }

  private static void addNames(Descriptor message, Set<String> names) {
    names.add(message.getName());
    for (EnumDescriptor e : message.getEnumTypes()) {
      names.add(e.getName());
    }
    for (Descriptor nested : message.getNestedTypes()) {
      addNames(nested, names);
    }
  }
}
