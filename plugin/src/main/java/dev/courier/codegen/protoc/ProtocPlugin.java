package dev.courier.codegen.protoc;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Courier's generator behind protoc's plugin protocol, for {@code protoc-gen-courier}: a
 * {@code CodeGeneratorRequest} in, the {@code CodeGeneratorResponse} out. Only streams cross this
 * class, no protobuf type: the plugin jar carries protobuf-java relocated, so the launcher, built
 * against the plugin jar, must not name protobuf's classes itself.
 *
 * @since 0.1.0
 */
public final class ProtocPlugin {

  private ProtocPlugin() {}

  /**
   * Reads the request from {@code in} and writes the response to {@code out}; problems in the
   * request go back to protoc as the response's error.
   *
   * @param generatorName how the docs name their generator, such as {@code "Courier 0.1.0"}
   * @throws IOException when a stream fails
   */
  public static void run(InputStream in, OutputStream out, String generatorName) throws IOException {
    CodeGeneratorRequest request = CodeGeneratorRequest.parseFrom(in);
    new CourierCodeGenerator(generatorName).generate(request).writeTo(out);
    out.flush();
  }
}
