package dev.courier.codegen.docs;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.courier.codegen.CodegenException;
import dev.courier.codegen.docs.DocModel.BuildDoc;
import dev.courier.codegen.docs.DocModel.FieldDoc;
import dev.courier.codegen.docs.DocModel.FileDoc;
import dev.courier.codegen.docs.DocModel.MessageDoc;
import dev.courier.codegen.docs.DocModel.MethodDoc;
import dev.courier.codegen.docs.DocModel.PolicyDoc;
import dev.courier.codegen.docs.DocModel.RetryDoc;
import dev.courier.codegen.docs.DocModel.ServiceDoc;
import dev.courier.codegen.model.CallKind;
import dev.courier.codegen.model.MethodModel;
import dev.courier.codegen.model.PolicyModel.RetryModel;
import dev.courier.codegen.model.PolicyModel;
import dev.courier.codegen.model.ServiceModel;
import dev.courier.codegen.model.SourceIndex;
import dev.courier.codegen.model.SourceLocations;
import dev.courier.codegen.model.TypeRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the templates' {@link DocModel} from the validated services and protoc's descriptors.
 * Not thread-safe (it caches per build); one per rendering.
 */
final class DocModelBuilder {
  private static final int MESSAGE_FIELD = 4;
  private static final int NESTED_FIELD = 3;
  private static final int FIELD_FIELD = 2;
  private static final Pattern LINE_BREAKS = Pattern.compile("\\s*\\n\\s*");

  private final Map<String, FileDescriptor> files;
  /** Each file's locations, indexed once per build: a message is looked up once per method using it. */
  private final SourceIndex locations;
  /** Messages already described, by full name: many methods share a request or response type. */
  private final Map<String, MessageDoc> messages = new HashMap<>();

  /**
   * Not thread-safe: it remembers the files' locations and the messages it described.
   *
   * @param files every file of the descriptor set as a linked descriptor, by path
   * @param locations every file's source locations, by path
   */
  DocModelBuilder(Map<String, FileDescriptor> files, SourceIndex locations) {
    this.files = Map.copyOf(files);
    this.locations = locations;
  }

  /**
   * The data model of {@code services}, grouped by file in the order they come.
   *
   * @throws CodegenException when a request or response message is missing from the descriptors
   */
  BuildDoc build(List<ServiceModel> services, String generator) throws CodegenException {
    Map<String, List<ServiceDoc>> byFile = new LinkedHashMap<>();
    List<ServiceDoc> all = new ArrayList<>();
    for (ServiceModel service : services) {
      ServiceDoc doc = service(service);
      all.add(doc);
      List<ServiceDoc> ofFile = byFile.get(service.protoFile());
      if (ofFile == null) {
        ofFile = new ArrayList<>();
        byFile.put(service.protoFile(), ofFile);
      }
      ofFile.add(doc);
    }
    List<FileDoc> fileDocs = new ArrayList<>();
    for (Map.Entry<String, List<ServiceDoc>> entry : byFile.entrySet()) {
      List<ServiceDoc> docs = entry.getValue();
      FileDescriptor file = files.get(entry.getKey());
      fileDocs.add(new FileDoc(entry.getKey(), file.getPackage(), docs.get(0).javaPackage(), List.copyOf(docs)));
    }
    return new BuildDoc(List.copyOf(fileDocs), List.copyOf(all), generator);
  }

  private ServiceDoc service(ServiceModel s) throws CodegenException {
    List<MethodDoc> methods = new ArrayList<>();
    for (MethodModel m : s.methods()) {
      methods.add(new MethodDoc(m.protoName(), m.fullName(), m.javaName(), m.kind().name(), m.comment(),
          message(m.request()), message(m.response()), policy(m), m.deprecated()));
    }
    return new ServiceDoc(s.protoName(), s.fullName(), s.protoFile(), s.comment(), s.javaPackage(),
        s.names().serviceInterface(), s.names().client(), List.copyOf(methods), s.deprecated());
  }

  private MessageDoc message(TypeRef type) throws CodegenException {
    MessageDoc known = messages.get(type.protoName());
    if (known != null) {
      return known;
    }
    Descriptor descriptor = find(type.protoName());
    SourceLocations info = locations.of(descriptor.getFile().getName());
    int[] path = path(descriptor);
    List<FieldDoc> fields = new ArrayList<>();
    for (FieldDescriptor field : descriptor.getFields()) {
      int[] fieldPath = child(path, FIELD_FIELD, field.getIndex());
      fields.add(new FieldDoc(field.getName(), field.getNumber(), typeName(field), label(field), comment(info, fieldPath)));
    }
    MessageDoc doc = new MessageDoc(type.protoName(), type.canonicalName(), comment(info, path), List.copyOf(fields));
    messages.put(type.protoName(), doc);
    return doc;
  }

  private Descriptor find(String fullName) throws CodegenException {
    for (FileDescriptor file : files.values()) {
      for (Descriptor top : file.getMessageTypes()) {
        Descriptor found = findNested(top, fullName);
        if (found != null) {
          return found;
        }
      }
    }
    throw new CodegenException("message " + fullName + " is missing from protoc's descriptor set");
  }

  private static Descriptor findNested(Descriptor d, String fullName) {
    if (d.getFullName().equals(fullName)) {
      return d;
    }
    for (Descriptor nested : d.getNestedTypes()) {
      Descriptor found = findNested(nested, fullName);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The message's source-location path, as {@link SourceLocations} takes it. */
  private static int[] path(Descriptor d) {
    if (d.getContainingType() == null) {
      return new int[] {MESSAGE_FIELD, d.getIndex()};
    }
    return child(path(d.getContainingType()), NESTED_FIELD, d.getIndex());
  }

  /** {@code parent}'s path followed by the {@code index}-th element of its field {@code field}. */
  private static int[] child(int[] parent, int field, int index) {
    int[] path = Arrays.copyOf(parent, parent.length + 2);
    path[parent.length] = field;
    path[parent.length + 1] = index;
    return path;
  }

  private static String comment(SourceLocations info, int[] path) {
    return LINE_BREAKS.matcher(info.rawComment(path).strip()).replaceAll(" ");
  }

  private static String typeName(FieldDescriptor field) {
    if (field.isMapField()) {
      Descriptor entry = field.getMessageType();
      return "map<" + typeName(entry.findFieldByNumber(1)) + ", " + typeName(entry.findFieldByNumber(2)) + ">";
    }
    return switch (field.getType()) {
      case MESSAGE, GROUP -> field.getMessageType().getFullName();
      case ENUM -> field.getEnumType().getFullName();
      default -> field.getType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String label(FieldDescriptor field) {
    if (field.isMapField()) {
      return "map";
    }
    if (field.isRepeated()) {
      return "repeated";
    }
    if (field.isRequired()) {
      return "required";
    }
    return field.hasPresence() && field.getContainingOneof() == null && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE
        ? "optional" : "";
  }

  static PolicyDoc policy(MethodModel m) {
    PolicyModel p = m.policy();
    RetryModel r = p.retry();
    // The runtime retries and hedges unary calls only: once a stream has sent a message it cannot
    // be replayed, so a stream's docs show one attempt whatever the options say.
    boolean retried = m.kind() == CallKind.UNARY;
    List<String> codes = !retried ? List.of()
        : r != null && !r.retryableCodes().isEmpty() ? r.retryableCodes()
        : p.idempotent() ? List.of("UNAVAILABLE", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED (of one attempt)",
            "and any failure before the request reached a server")
        : List.of("failures before the request reached a server");
    RetryDoc retry = new RetryDoc(
        !retried ? 1 : r == null || r.maxAttempts() == null ? 3 : r.maxAttempts(),
        text(r == null || r.initialBackoff() == null ? Duration.ofMillis(50) : r.initialBackoff()),
        text(r == null || r.maxBackoff() == null ? Duration.ofSeconds(1) : r.maxBackoff()),
        r == null || r.multiplier() == null ? 2.0 : r.multiplier(),
        r == null || r.jitter() == null ? 1.0 : r.jitter(),
        List.copyOf(codes));
    return new PolicyDoc(
        p.balancer() != null ? p.balancer() : m.hashKey() != null ? "CONSISTENT_HASH" : "LEAST_LOADED",
        p.idempotent(),
        p.timeout() == null ? "" : text(p.timeout()),
        m.hashKey() == null ? "" : m.hashKey().path(),
        p.queue(),
        retried,
        retry,
        p.hedge() == null || !retried ? ""
            : p.hedge().hedgeAfter() == null ? p.hedge().afterText() : text(p.hedge().hedgeAfter()),
        p.hedge() == null || !retried ? 0 : p.hedge().maxHedged(),
        p.maxConcurrency());
  }

  /** {@code "2s"}, {@code "250ms"}, {@code "1500us"}: the unit that shows the value exactly. */
  static String text(Duration d) {
    long nanos = d.toNanos();
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    if (nanos % 1_000L == 0) {
      return nanos / 1_000L + "us";
    }
    return nanos + "ns";
  }
}
