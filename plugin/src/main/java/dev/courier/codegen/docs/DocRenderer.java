package dev.courier.codegen.docs;

import dev.courier.codegen.CodegenException;
import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.docs.DocModel.BuildDoc;
import dev.courier.codegen.docs.DocModel.FileDoc;
import dev.courier.codegen.docs.DocModel.ServiceDoc;
import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Renders Courier's templates over a {@link BuildDoc}.
 *
 * <p>Templates live in three folders by scope: {@code service/NAME.ftl} renders once per service
 * into {@code <proto package>/<Service>-NAME}; {@code file/NAME.ftl} once per {@code .proto} file
 * into {@code <file path without .proto>-NAME}; {@code build/NAME.ftl} once into {@code NAME}. A
 * {@code .ftlh} template is HTML and escapes what it prints. A user's template directory is searched
 * first: a template there replaces Courier's default of the same path, and any other template adds
 * an output.
 */
final class DocRenderer {
  /** Courier's default templates, inside the courier-templates jar. */
  static final String DEFAULTS = "courier/templates";
  private static final String INDEX = DEFAULTS + "/templates.list";
  private static final List<String> SCOPES = List.of("service/", "file/", "build/");

  private final Path userTemplates;
  private final Configuration freemarker;

  /** @param userTemplates the user's template directory, or {@code null} for the defaults only */
  DocRenderer(Path userTemplates) throws CodegenException {
    this.userTemplates = userTemplates;
    this.freemarker = configuration(userTemplates);
  }

  /** Every output of every template, sorted by path. */
  List<GeneratedFile> render(BuildDoc build) throws CodegenException {
    List<GeneratedFile> out = new ArrayList<>();
    for (String name : templateNames()) {
      Template template = load(name);
      String output = outputName(name);
      if (name.startsWith("service/")) {
        for (ServiceDoc service : build.services()) {
          String dir = packageDir(service.fullName(), service.name());
          out.add(render(template, dir + service.name() + "-" + output, Map.of("service", service, "build", build)));
        }
      } else if (name.startsWith("file/")) {
        for (FileDoc file : build.files()) {
          String base = file.path().endsWith(".proto") ? file.path().substring(0, file.path().length() - 6) : file.path();
          out.add(render(template, base + "-" + output, Map.of("file", file, "build", build)));
        }
      } else {
        out.add(render(template, output, Map.of("build", build)));
      }
    }
    out.sort(GeneratedFile.BY_PATH);
    return List.copyOf(out);
  }

  /** Reads and parses every template into FreeMarker's cache, for {@link #render} to find. */
  void loadAll() throws CodegenException {
    for (String name : templateNames()) {
      load(name);
    }
  }

  /** The templates to render: Courier's defaults plus the user's, by path. */
  List<String> templateNames() throws CodegenException {
    TreeSet<String> names = new TreeSet<>(defaultNames());
    if (userTemplates != null && Files.isDirectory(userTemplates)) {
      try (Stream<Path> walk = Files.walk(userTemplates)) {
        walk.filter(Files::isRegularFile)
            .map(p -> userTemplates.relativize(p).toString().replace('\\', '/'))
            .filter(p -> p.endsWith(".ftl") || p.endsWith(".ftlh"))
            .filter(p -> SCOPES.stream().anyMatch(p::startsWith))
            .forEach(names::add);
      } catch (IOException e) {
        throw new CodegenException("templateDirectory " + userTemplates + " cannot be read: " + e.getMessage());
      }
    }
    return List.copyOf(names);
  }

  private static List<String> defaultNames() throws CodegenException {
    List<String> names = new ArrayList<>();
    try (InputStream in = DocRenderer.class.getClassLoader().getResourceAsStream(INDEX)) {
      if (in == null) {
        throw new CodegenException(INDEX + " is missing: courier-templates is not on the plugin's classpath");
      }
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          String name = line.strip();
          if (!name.isEmpty() && !name.startsWith("#")) {
            names.add(name);
          }
        }
      }
    } catch (IOException e) {
      throw new CodegenException(INDEX + " cannot be read: " + e.getMessage());
    }
    return names;
  }

  private Template load(String name) throws CodegenException {
    try {
      return freemarker.getTemplate(name);
    } catch (ParseException e) {
      throw new CodegenException(where(name, e.getLineNumber()) + ": " + e.getEditorMessage()
          + " (column " + e.getColumnNumber() + ")");
    } catch (IOException e) {
      throw new CodegenException("template " + name + " cannot be read: " + e.getMessage());
    }
  }

  private static GeneratedFile render(Template template, String path, Map<String, Object> model) throws CodegenException {
    StringWriter out = new StringWriter();
    try {
      template.process(model, out);
    } catch (TemplateException e) {
      String blamed = e.getBlamedExpressionString();
      String what = blamed != null
          ? "${" + blamed + "} is missing or null (variables: " + String.join(", ", new TreeSet<>(model.keySet()))
              + "; see the data model in the README; write ${" + blamed + "!\"\"} if it may be absent)"
          : e.getMessageWithoutStackTop().strip();
      throw new CodegenException(where(e.getTemplateSourceName(), e.getLineNumber()) + ": " + what);
    } catch (IOException e) {
      throw new CodegenException("template " + template.getSourceName() + " cannot be written: " + e.getMessage());
    }
    return new GeneratedFile(path, out.toString());
  }

  private static String where(String template, Integer line) {
    return "template " + template + (line == null ? "" : ", line " + line);
  }

  private static String outputName(String templateName) {
    String file = templateName.substring(templateName.indexOf('/') + 1);
    return file.endsWith(".ftlh") ? file.substring(0, file.length() - 5) : file.substring(0, file.length() - 4);
  }

  private static String packageDir(String fullName, String simpleName) {
    String pkg = fullName.length() > simpleName.length() ? fullName.substring(0, fullName.length() - simpleName.length() - 1) : "";
    return pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/";
  }

  private static Configuration configuration(Path userTemplates) throws CodegenException {
    Configuration c = new Configuration(Configuration.VERSION_2_3_34);
    c.setObjectWrapper(DocObjectWrapper.INSTANCE);
    c.setDefaultEncoding("UTF-8");
    c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    c.setLogTemplateExceptions(false);
    c.setWrapUncheckedExceptions(true);
    c.setFallbackOnNullLoopVariable(false);
    c.setLocalizedLookup(false);
    c.setNumberFormat("computer");
    // Parsed once per run (DocsGenerator.prepare), then only looked up.
    c.setCacheStorage(new freemarker.cache.StrongCacheStorage());
    c.setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE);
    List<TemplateLoader> loaders = new ArrayList<>();
    if (userTemplates != null && Files.isDirectory(userTemplates)) {
      try {
        loaders.add(new FileTemplateLoader(userTemplates.toFile()));
      } catch (IOException e) {
        throw new CodegenException("templateDirectory " + userTemplates + " cannot be read: " + e.getMessage());
      }
    }
    loaders.add(new ClassTemplateLoader(DocRenderer.class.getClassLoader(), DEFAULTS));
    c.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(new TemplateLoader[0])));
    return c;
  }
}
