package dev.courier.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The plugin jar tells Eclipse m2e to run both goals on configuration and on incremental builds,
 * and the goals it names are the goals the plugin descriptor declares.
 */
class M2eMetadataTest {

  @Test
  void lifecycleMappingMetadataRunsBothGoalsOnIncrementalBuilds() throws Exception {
    Document metadata = read("META-INF/m2e/lifecycle-mapping-metadata.xml");

    assertThat(texts(metadata, "goal")).containsExactlyInAnyOrder("generate", "generate-test");
    Element execute = (Element) metadata.getElementsByTagName("execute").item(0);
    assertThat(texts(execute, "runOnIncremental")).containsExactly("true");
    assertThat(texts(execute, "runOnConfiguration")).containsExactly("true");
  }

  @Test
  void theNamedGoalsExistInThePluginDescriptor() throws Exception {
    Document descriptor = read("META-INF/maven/plugin.xml");
    List<String> goals = new ArrayList<>();
    NodeList mojos = descriptor.getElementsByTagName("mojo");
    for (int i = 0; i < mojos.getLength(); i++) {
      goals.add(texts((Element) mojos.item(i), "goal").get(0));
    }

    assertThat(goals).contains("generate", "generate-test", "help");
  }

  private static Document read(String resource) throws Exception {
    try (InputStream in = M2eMetadataTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource + " on the plugin's classpath").isNotNull();
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
    }
  }

  private static List<String> texts(Document doc, String tag) {
    return texts(doc.getDocumentElement(), tag);
  }

  private static List<String> texts(Element parent, String tag) {
    List<String> texts = new ArrayList<>();
    NodeList nodes = parent.getElementsByTagName(tag);
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent().strip());
    }
    return texts;
  }
}
