package dev.courier.codegen.build;

/**
 * What a generation run did. Immutable.
 *
 * @param protoFiles how many project {@code .proto} files were found
 * @param skipped true when the inputs were unchanged and nothing ran
 * @param generatedFiles files in the output folder owned by Courier after the run
 * @param written files created or changed by this run, docs included
 * @param deleted stale files removed by this run, docs included
 * @param docFiles files in the docs output folder owned by Courier after the run; 0 when docs are off
 * @since 0.1.0
 */
public record CodegenOutcome(int protoFiles, boolean skipped, int generatedFiles, int written, int deleted, int docFiles) {

  /** Whether the output folder holds sources to compile. */
  public boolean hasSources() {
    return protoFiles > 0;
  }
}
