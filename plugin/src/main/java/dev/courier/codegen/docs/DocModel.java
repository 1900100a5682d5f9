package dev.courier.codegen.docs;

import java.util.List;

/**
 * The data model templates see. Every record component is readable in FreeMarker by its name
 * ({@code service.fullName}, {@code method.policy.retry.maxAttempts}). Policies are the
 * <em>effective</em> ones: what a client uses when nothing overrides them at run time.
 *
 * <p>Variables: per-service templates get {@code service} (a {@link ServiceDoc}) and {@code build};
 * per-file templates get {@code file} (a {@link FileDoc}) and {@code build}; per-build templates get
 * {@code build} (a {@link BuildDoc}).
 */
public final class DocModel {
  private DocModel() {}

  /**
   * How a template reads a record: its component values, without reflection (a cold JVM would
   * otherwise introspect every record class and spin an accessor per component); their names come
   * from the record class once. Every record of the model implements it; {@code DocModelTest}
   * checks it against the record's components.
   */
  public interface Node {
    /** The values of the record's components, in declaration order (a new array each time). */
    Object[] components();
  }

  /**
   * Everything generated in one build.
   *
   * @param files the {@code .proto} files that declare services, by path
   * @param services every service, in file then declaration order
   * @param generator the generator's name and version, for a footer
   */
  public record BuildDoc(List<FileDoc> files, List<ServiceDoc> services, String generator) implements Node {
    @Override
    public Object[] components() {
      return new Object[] {files, services, generator};
    }
  }

  /**
   * One {@code .proto} file.
   *
   * @param path as protoc names it ({@code bookstore/catalog.proto})
   * @param protoPackage the proto package, possibly empty
   * @param javaPackage the Java package of the generated types
   * @param services the services it declares
   */
  public record FileDoc(String path, String protoPackage, String javaPackage, List<ServiceDoc> services)
      implements Node {
    @Override
    public Object[] components() {
      return new Object[] {path, protoPackage, javaPackage, services};
    }
  }

  /**
   * One service.
   *
   * @param name simple name ({@code Catalog})
   * @param fullName gRPC name ({@code bookstore.Catalog})
   * @param protoFile the declaring file
   * @param comment the {@code .proto} comment (plain text, possibly empty)
   * @param javaPackage package of the generated types
   * @param javaInterface simple name of the interface to implement
   * @param javaClient simple name of the generated client
   * @param methods in declaration order
   * @param deprecated whether marked {@code deprecated}
   */
  public record ServiceDoc(
      String name,
      String fullName,
      String protoFile,
      String comment,
      String javaPackage,
      String javaInterface,
      String javaClient,
      List<MethodDoc> methods,
      boolean deprecated) implements Node {
    @Override
    public Object[] components() {
      return new Object[] {name, fullName, protoFile, comment, javaPackage, javaInterface, javaClient, methods,
          deprecated};
    }
  }

  /**
   * One rpc.
   *
   * @param name as in the {@code .proto} ({@code GetBook})
   * @param fullName gRPC name ({@code bookstore.Catalog/GetBook})
   * @param javaName the Java method ({@code getBook})
   * @param kind {@code UNARY}, {@code SERVER_STREAMING}, {@code CLIENT_STREAMING} or {@code BIDI_STREAMING}
   * @param comment the {@code .proto} comment, possibly empty
   * @param request the request message
   * @param response the response message
   * @param policy the effective policy
   * @param deprecated whether marked {@code deprecated}
   */
  public record MethodDoc(
      String name,
      String fullName,
      String javaName,
      String kind,
      String comment,
      MessageDoc request,
      MessageDoc response,
      PolicyDoc policy,
      boolean deprecated) implements Node {
    @Override
    public Object[] components() {
      return new Object[] {name, fullName, javaName, kind, comment, request, response, policy, deprecated};
    }
  }

  /**
   * A request or response message.
   *
   * @param fullName proto name ({@code bookstore.Book})
   * @param javaType the Java class, canonical name
   * @param comment the {@code .proto} comment, possibly empty
   * @param fields in declaration order
   */
  public record MessageDoc(String fullName, String javaType, String comment, List<FieldDoc> fields) implements Node {
    @Override
    public Object[] components() {
      return new Object[] {fullName, javaType, comment, fields};
    }
  }

  /**
   * A field of a message.
   *
   * @param name as in the {@code .proto}
   * @param number the field number
   * @param type proto type ({@code string}, {@code int64}, a message or enum full name)
   * @param label {@code optional}, {@code repeated}, {@code map}, {@code required} or empty
   * @param comment the {@code .proto} comment, possibly empty
   */
  public record FieldDoc(String name, int number, String type, String label, String comment) implements Node {
    @Override
    public Object[] components() {
      return new Object[] {name, number, type, label, comment};
    }
  }

  /**
   * A method's effective policy.
   *
   * @param balancer the balancer's name
   * @param idempotent whether retries may repeat a processed request
   * @param timeout the deadline of a whole call ({@code "2s"}), or empty for none
   * @param hashKey the request field path of the hash key, or empty
   * @param queue whether a queue-backed variant exists
   * @param retried whether failed calls are retried (and hedged) at all: unary calls only, since a
   *     stream that has started is not retried
   * @param retry the retry settings; for a method that is not retried, one attempt and no codes
   * @param hedgeAfter the hedging delay, or empty for no hedging
   * @param maxHedged extra hedged attempts at most (0 without hedging)
   * @param maxConcurrency server-side limit, 0 for none
   */
  public record PolicyDoc(
      String balancer,
      boolean idempotent,
      String timeout,
      String hashKey,
      boolean queue,
      boolean retried,
      RetryDoc retry,
      String hedgeAfter,
      int maxHedged,
      int maxConcurrency) implements Node {
    @Override
    public Object[] components() {
      return new Object[] {balancer, idempotent, timeout, hashKey, queue, retried, retry, hedgeAfter, maxHedged,
          maxConcurrency};
    }
  }

  /**
   * Retry settings.
   *
   * @param maxAttempts attempts in all
   * @param initialBackoff e.g. {@code "50ms"}
   * @param maxBackoff e.g. {@code "1s"}
   * @param multiplier backoff growth per retry
   * @param jitter random share of each backoff
   * @param retryableCodes the codes retried; for the runtime's safe defaults, a description in words
   */
  public record RetryDoc(
      int maxAttempts,
      String initialBackoff,
      String maxBackoff,
      double multiplier,
      double jitter,
      List<String> retryableCodes) implements Node {
    @Override
    public Object[] components() {
      return new Object[] {maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, retryableCodes};
    }
  }
}
