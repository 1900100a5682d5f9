package dev.courier.codegen;

import java.util.List;

/**
 * Generation cannot go on because the input is wrong. Each problem is a line a user can act on:
 * it names the {@code .proto} file (and line where known), the service, method or field, what is
 * wrong and what to write instead.
 */
public final class CodegenException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public CodegenException(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  public CodegenException(String problem) {
    this(List.of(problem));
  }

  /** Every problem found, one user-facing line each. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    StringBuilder sb = new StringBuilder(problems.size() + " problems in .proto files:");
    for (String p : problems) {
      sb.append(System.lineSeparator()).append("  ").append(p);
    }
    return sb.toString();
  }
}
