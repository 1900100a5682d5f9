package dev.courier.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The plugin's own version and its default protoc version, filtered into
 * {@code META-INF/courier/plugin.properties} from the parent pom's {@code protoc.version}.
 *
 * @param version the plugin version
 * @param protocVersion the protoc version used when {@code protocVersion} is not set
 * @since 0.1.0
 */
record PluginInfo(String version, String protocVersion) {

  private static final String RESOURCE = "META-INF/courier/plugin.properties";

  /** Reads the bundled properties. */
  static PluginInfo load() {
    Properties props = new Properties();
    try (InputStream in = PluginInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the Courier plugin jar");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PluginInfo(props.getProperty("version"), props.getProperty("protoc.version"));
  }
}
