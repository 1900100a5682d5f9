package dev.courier.protoc;

import dev.courier.codegen.protoc.ProtocPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The {@code protoc-gen-courier} executable: reads protoc's {@code CodeGeneratorRequest} from
 * standard input and writes the {@code CodeGeneratorResponse} to standard output. protoc runs it
 * as {@code --plugin=protoc-gen-courier=<launcher> --courier_out=<folder> --courier_opt=docs=false}
 * (a launcher being {@code java -jar protoc-gen-courier.jar} with the dependencies on the class
 * path, as ascopes' {@code jvmMavenPlugins} generates one).
 *
 * @since 0.1.0
 */
public final class ProtocGenCourier {

  private static final String PROPERTIES = "META-INF/courier/protoc-gen-courier.properties";

  private ProtocGenCourier() {}

  /** Reads the request, generates, writes the response; exits non-zero only if the streams fail. */
  public static void main(String[] args) throws IOException {
    ProtocPlugin.run(System.in, System.out, "Courier " + version());
  }

  static String version() {
    Properties props = new Properties();
    try (InputStream in = ProtocGenCourier.class.getClassLoader().getResourceAsStream(PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException(PROPERTIES + " is missing from the protoc-gen-courier jar");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props.getProperty("version");
  }
}
