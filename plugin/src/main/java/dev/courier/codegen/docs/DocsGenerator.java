package dev.courier.codegen.docs;

import dev.courier.codegen.CodegenException;
import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.docs.DocModel.BuildDoc;
import dev.courier.codegen.model.CodegenModel;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders the reference docs and configuration skeletons of an already-read model: Courier's
 * default templates, replaced or extended by those of a user's template directory, over the
 * {@link DocModel} of the model's services. No IO but reading templates; stateless, and the same
 * model and templates always give the same files.
 *
 * @since 0.1.0
 */
public final class DocsGenerator {
  private DocsGenerator() {}

  /**
   * Renders every template over the services of {@code model}.
   *
   * @param model the build's model, the same one the Java sources are generated from
   * @param templateDirectory the user's templates, or {@code null} for Courier's defaults only
   * @param generator how the outputs name their generator, e.g. {@code "Courier 0.1.0"}
   * @return files sorted by path, relative to the resources output folder
   * @throws CodegenException when a template fails; each problem names the template and line
   */
  public static List<GeneratedFile> generate(CodegenModel model, Path templateDirectory, String generator)
      throws CodegenException {
    return prepare(templateDirectory).generate(model, generator);
  }

  /**
   * Reads and parses every template once, so that the work can run while protoc does (it is most
   * of the cost of the docs: FreeMarker's classes and the template parse).
   *
   * @param templateDirectory the user's templates, or {@code null} for Courier's defaults only
   * @throws CodegenException when a template cannot be read or parsed
   */
  public static Prepared prepare(Path templateDirectory) throws CodegenException {
    DocRenderer renderer = new DocRenderer(templateDirectory);
    renderer.loadAll();
    return new Prepared(renderer);
  }

  /** Templates read and parsed, ready to render any number of models; thread-safe. */
  public static final class Prepared {
    private final DocRenderer renderer;

    private Prepared(DocRenderer renderer) {
      this.renderer = renderer;
    }

    /** As {@link DocsGenerator#generate}, with the templates of this. */
    public List<GeneratedFile> generate(CodegenModel model, String generator) throws CodegenException {
      BuildDoc build = new DocModelBuilder(model.files(), model.sources()).build(model.services(), generator);
      return renderer.render(build);
    }
  }
}
