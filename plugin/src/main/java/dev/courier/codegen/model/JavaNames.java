package dev.courier.codegen.model;

import java.util.Locale;
import java.util.Set;

/**
 * Java naming rules: protoc's (so that Courier refers to the message classes protoc generates by
 * their exact names) and Courier's own (method and constant names that never clash with Java
 * keywords or with {@link Object}'s methods).
 */
public final class JavaNames {
  /** Reserved words and literals: not usable as identifiers. */
  static final Set<String> KEYWORDS = Set.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
      "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
      "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
      "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
      "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
      "volatile", "while", "true", "false", "null", "_");

  /** Methods of {@link Object}: a generated method by one of these names would confuse readers or clash. */
  static final Set<String> OBJECT_METHODS = Set.of(
      "getClass", "hashCode", "equals", "toString", "notify", "notifyAll", "wait", "clone", "finalize");

  /** Accessor suffixes protoc reserves; a field by such a name gets a trailing underscore. */
  private static final Set<String> PROTOC_FORBIDDEN_ACCESSORS = Set.of(
      "Class", "DefaultInstanceForType", "ParserForType", "SerializedSize", "AllFields",
      "DescriptorForType", "InitializationErrorString", "UnknownFields", "CachedSize");

  private JavaNames() {}

  /**
   * protoc's {@code UnderscoresToCamelCase}: drops non-alphanumerics and capitalises the letter after
   * each of them and after each digit.
   */
  public static String underscoresToCamelCase(String input, boolean capitalizeFirst) {
    StringBuilder out = new StringBuilder(input.length());
    boolean capNext = capitalizeFirst;
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c >= 'a' && c <= 'z') {
        out.append(capNext ? Character.toUpperCase(c) : c);
        capNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        out.append(i == 0 && !capitalizeFirst ? Character.toLowerCase(c) : c);
        capNext = false;
      } else if (c >= '0' && c <= '9') {
        out.append(c);
        capNext = true;
      } else {
        capNext = true;
      }
    }
    return out.toString();
  }

  /** protoc's default outer class name for a file: its base name in camel case. */
  public static String defaultOuterClassName(String protoPath) {
    String base = protoPath.substring(protoPath.lastIndexOf('/') + 1);
    if (base.endsWith(".proto")) {
      base = base.substring(0, base.length() - ".proto".length());
    } else if (base.endsWith(".protodevel")) {
      base = base.substring(0, base.length() - ".protodevel".length());
    }
    return underscoresToCamelCase(base, true);
  }

  /** The getter protoc generates for a singular field: {@code getSku}, {@code getClass_}. */
  public static String getterName(String fieldName) {
    String camel = underscoresToCamelCase(fieldName, true);
    return "get" + camel + (PROTOC_FORBIDDEN_ACCESSORS.contains(camel) ? "_" : "");
  }

  /** grpc-java's method name for an rpc: {@code GetStock} becomes {@code getStock}. */
  public static String lowerCamel(String rpcName) {
    return underscoresToCamelCase(rpcName, false);
  }

  /** A constant name: {@code GetStock} becomes {@code GET_STOCK}, {@code HTTPProxy} {@code HTTP_PROXY}. */
  public static String upperSnake(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != '_') {
          out.append('_');
        }
        continue;
      }
      boolean upper = Character.isUpperCase(c);
      if (upper && i > 0 && out.length() > 0 && out.charAt(out.length() - 1) != '_') {
        char prev = name.charAt(i - 1);
        boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        if (Character.isLowerCase(prev) || Character.isDigit(prev) || (Character.isUpperCase(prev) && nextLower)) {
          out.append('_');
        }
      }
      out.append(Character.toUpperCase(c));
    }
    String result = out.toString();
    while (result.endsWith("_") && result.length() > 1) {
      result = result.substring(0, result.length() - 1);
    }
    return result.toUpperCase(Locale.ROOT);
  }

  /** Whether {@code name} cannot be a method name as it is (a keyword, or a method of Object). */
  public static boolean isReservedMethodName(String name) {
    return KEYWORDS.contains(name) || OBJECT_METHODS.contains(name);
  }

  /** Whether {@code name} is a Java keyword or literal. */
  public static boolean isKeyword(String name) {
    return KEYWORDS.contains(name);
  }
}
