package dev.courier.codegen.java;

/**
 * Turns {@code .proto} comments into Javadoc text that is valid and means what it says: HTML
 * special characters, {@code @}, {@code *}{@code /} and backslashes (which could start a unicode
 * escape) are escaped, so a comment can neither break the file nor inject tags.
 */
final class Javadoc {
  private Javadoc() {}

  static String escape(String comment) {
    StringBuilder out = new StringBuilder(comment.length() + 16);
    for (int i = 0; i < comment.length(); i++) {
      char c = comment.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '@' -> out.append("&#64;");
        case '\\' -> out.append("&#92;");
        case '/' -> out.append(i > 0 && comment.charAt(i - 1) == '*' ? "&#47;" : "/");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The comment as Javadoc paragraphs; when not empty, followed by a blank line and {@code <p>} so
   * that the text after it starts a new paragraph.
   */
  static String paragraph(String comment) {
    if (comment.isEmpty()) {
      return "";
    }
    return escape(comment).replace("\n\n", "\n\n<p>") + "\n\n<p>";
  }
}
