package dev.courier.codegen.docs;

import freemarker.template.ObjectWrapper;
import freemarker.template.SimpleCollection;
import freemarker.template.SimpleHash;
import freemarker.template.SimpleNumber;
import freemarker.template.SimpleScalar;
import freemarker.template.TemplateBooleanModel;
import freemarker.template.TemplateCollectionModel;
import freemarker.template.TemplateHashModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateSequenceModel;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Shows the {@link DocModel} to templates through FreeMarker's plain models: a record as a hash of
 * its components ({@link DocModel.Node}), a list as a sequence, strings, numbers and booleans as
 * themselves. FreeMarker's default wrapper would introspect every record class through
 * {@code java.beans} and read each component by reflection, which in the cold JVM of a build costs
 * more than rendering the templates. Templates read the same names and values either way.
 * Stateless and thread-safe.
 */
final class DocObjectWrapper implements ObjectWrapper {
  static final DocObjectWrapper INSTANCE = new DocObjectWrapper();

  private DocObjectWrapper() {}

  @Override
  public TemplateModel wrap(Object value) throws TemplateModelException {
    if (value == null || value instanceof TemplateModel) {
      return (TemplateModel) value;
    }
    if (value instanceof String text) {
      return new SimpleScalar(text);
    }
    if (value instanceof Boolean flag) {
      return flag ? TemplateBooleanModel.TRUE : TemplateBooleanModel.FALSE;
    }
    if (value instanceof Number number) {
      return new SimpleNumber(number);
    }
    if (value instanceof DocModel.Node node) {
      return new NodeHash(node, this);
    }
    if (value instanceof List<?> list) {
      return new ListSequence(list, this);
    }
    if (value instanceof Map<?, ?> map) {
      return new SimpleHash(map, this);
    }
    throw new TemplateModelException("Courier's docs model has no template form for " + value.getClass().getName());
  }

  /** Each record class's component names, in declaration order, read from the class once. */
  private static final ClassValue<List<String>> NAMES = new ComponentNames();

  private static final class ComponentNames extends ClassValue<List<String>> {
    @Override
    protected List<String> computeValue(Class<?> type) {
      List<String> names = new ArrayList<>();
      for (RecordComponent component : type.getRecordComponents()) {
        names.add(component.getName());
      }
      return List.copyOf(names);
    }
  }

  /** A record of the model, read by component name. */
  private record NodeHash(DocModel.Node node, ObjectWrapper wrapper) implements TemplateHashModelEx {
    @Override
    public TemplateModel get(String key) throws TemplateModelException {
      int index = names().indexOf(key);
      return index < 0 ? null : wrapper.wrap(node.components()[index]);
    }

    @Override
    public boolean isEmpty() {
      return names().isEmpty();
    }

    @Override
    public int size() {
      return names().size();
    }

    @Override
    public TemplateCollectionModel keys() {
      return new SimpleCollection(names(), wrapper);
    }

    @Override
    public TemplateCollectionModel values() {
      return new SimpleCollection(Arrays.asList(node.components()), wrapper);
    }

    private List<String> names() {
      return NAMES.get(node.getClass());
    }
  }

  /** A list of the model, each element wrapped when read. */
  private record ListSequence(List<?> list, ObjectWrapper wrapper) implements TemplateSequenceModel {
    @Override
    public TemplateModel get(int index) throws TemplateModelException {
      return index >= 0 && index < list.size() ? wrapper.wrap(list.get(index)) : null;
    }

    @Override
    public int size() {
      return list.size();
    }
  }
}
