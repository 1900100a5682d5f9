package dev.courier.codegen.docs;

import static org.assertj.core.api.Assertions.assertThat;

import freemarker.template.Configuration;
import freemarker.template.Template;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every record of the templates' data model answers {@link DocModel.Node} with its own
 * components in order, so a component added to a record but not to {@code components()} fails here
 * instead of vanishing from the templates; and templates read the model through
 * {@link DocObjectWrapper} as they read it through FreeMarker's default wrapper.
 */
class DocModelTest {

  private static final DocModel.RetryDoc RETRY = new DocModel.RetryDoc(3, "50ms", "1s", 2.0, 0.2, List.of("UNAVAILABLE"));
  private static final DocModel.PolicyDoc POLICY =
      new DocModel.PolicyDoc("ROUND_ROBIN", true, "2s", "id", false, true, RETRY, "100ms", 2, 10);
  private static final DocModel.FieldDoc FIELD = new DocModel.FieldDoc("id", 1, "string", "optional", "the id");
  private static final DocModel.MessageDoc MESSAGE =
      new DocModel.MessageDoc("shop.Item", "shop.Item", "an item", List.of(FIELD));
  private static final DocModel.MethodDoc METHOD = new DocModel.MethodDoc("Get", "shop.Items/Get", "get", "UNARY",
      "gets", MESSAGE, MESSAGE, POLICY, true);
  private static final DocModel.ServiceDoc SERVICE = new DocModel.ServiceDoc("Items", "shop.Items", "shop/items.proto",
      "items", "shop", "Items", "ItemsClient", List.of(METHOD), false);
  private static final DocModel.FileDoc FILE = new DocModel.FileDoc("shop/items.proto", "shop", "shop", List.of(SERVICE));
  private static final DocModel.BuildDoc BUILD = new DocModel.BuildDoc(List.of(FILE), List.of(SERVICE), "Courier");

  @Test
  void everyRecordNamesAndReadsExactlyItsComponents() throws Exception {
    List<Record> records = List.of(BUILD, FILE, SERVICE, METHOD, MESSAGE, FIELD, POLICY, RETRY);
    List<Class<?>> recordClasses = Arrays.stream(DocModel.class.getDeclaredClasses()).filter(Class::isRecord).toList();
    assertThat(records.stream().<Class<?>>map(Record::getClass).toList()).containsExactlyInAnyOrderElementsOf(recordClasses);
    for (Record record : records) {
      List<Object> accessed = new ArrayList<>();
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        accessed.add(component.getAccessor().invoke(record));
      }
      assertThat(((DocModel.Node) record).components()).as(record.getClass().getSimpleName())
          .containsExactlyElementsOf(accessed);
    }
  }

  @Test
  void templatesSeeRecordsAsHashesOfTheirComponentsAndListsAsSequences() throws Exception {
    Configuration freemarker = new Configuration(Configuration.VERSION_2_3_34);
    freemarker.setObjectWrapper(DocObjectWrapper.INSTANCE);
    freemarker.setNumberFormat("computer");
    Template template = new Template("t", "${r?keys?join(\",\")} ${r?size} ${r.multiplier} ${r.maxAttempts + 1}"
        + " ${r.retryableCodes?size} ${r.retryableCodes[0]} ${p.idempotent?c} ${p.retry.jitter} ${p.missing!\"-\"}",
        freemarker);
    StringWriter out = new StringWriter();

    template.process(Map.of("r", RETRY, "p", POLICY), out);

    assertThat(out.toString()).isEqualTo(
        "maxAttempts,initialBackoff,maxBackoff,multiplier,jitter,retryableCodes 6 2 4 1 UNAVAILABLE true 0.2 -");
  }
}
