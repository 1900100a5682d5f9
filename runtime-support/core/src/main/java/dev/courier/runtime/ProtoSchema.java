package dev.courier.runtime;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import java.util.function.Supplier;

/**
 * Schema descriptors attached to generated gRPC descriptors, so that server reflection and other
 * tools can describe a Courier service exactly as they describe one from protoc-gen-grpc-java.
 */
public final class ProtoSchema
    implements ProtoFileDescriptorSupplier, ProtoServiceDescriptorSupplier, ProtoMethodDescriptorSupplier {
  private final Supplier<FileDescriptor> file;
  private final String serviceName;
  private final String methodName;

  private ProtoSchema(Supplier<FileDescriptor> file, String serviceName, String methodName) {
    this.file = file;
    this.serviceName = serviceName;
    this.methodName = methodName;
  }

  /** The schema of service {@code serviceName} (its simple name) in {@code file}. */
  public static ProtoSchema service(Supplier<FileDescriptor> file, String serviceName) {
    return new ProtoSchema(file, serviceName, null);
  }

  /** The schema of one method of a service in {@code file}. */
  public static ProtoSchema method(Supplier<FileDescriptor> file, String serviceName, String methodName) {
    return new ProtoSchema(file, serviceName, methodName);
  }

  @Override
  public FileDescriptor getFileDescriptor() {
    return file.get();
  }

  @Override
  public ServiceDescriptor getServiceDescriptor() {
    return file.get().findServiceByName(serviceName);
  }

  @Override
  public MethodDescriptor getMethodDescriptor() {
    return methodName == null ? null : getServiceDescriptor().findMethodByName(methodName);
  }
}
