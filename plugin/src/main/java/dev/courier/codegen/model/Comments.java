package dev.courier.codegen.model;

/** Normalises {@code .proto} comments: common indentation removed, trailing blank lines dropped. */
final class Comments {
  private Comments() {}

  static String clean(String raw) {
    if (raw == null || raw.isBlank()) {
      return "";
    }
    String[] lines = raw.replace("\r\n", "\n").split("\n", -1);
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        int spaces = 0;
        while (spaces < line.length() && line.charAt(spaces) == ' ') {
          spaces++;
        }
        indent = Math.min(indent, spaces);
      }
    }
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      String stripped = line.isBlank() ? "" : line.substring(Math.min(indent, line.length())).stripTrailing();
      out.append(stripped).append('\n');
    }
    return out.toString().strip();
  }
}
