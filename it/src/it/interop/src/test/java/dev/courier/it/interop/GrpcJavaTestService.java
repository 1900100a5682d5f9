package dev.courier.it.interop;

import dev.courier.it.interop.testing.ResponseParameters;
import dev.courier.it.interop.testing.SimpleRequest;
import dev.courier.it.interop.testing.SimpleResponse;
import dev.courier.it.interop.testing.StreamingOutputCallRequest;
import dev.courier.it.interop.testing.StreamingOutputCallResponse;
import dev.courier.it.interop.testing.TestServiceGrpc;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** grpc's interop TestService on grpc-java's generated ImplBase, echoing metadata in an interceptor as grpc's interop server does. */
final class GrpcJavaTestService extends TestServiceGrpc.TestServiceImplBase {
  private static final Metadata.Key<String> ECHO_INITIAL =
      Metadata.Key.of(CourierTestService.ECHO_INITIAL, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> ECHO_TRAILING =
      Metadata.Key.of(CourierTestService.ECHO_TRAILING, Metadata.BINARY_BYTE_MARSHALLER);

  @Override
  public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
    if (request.hasResponseStatus()) {
      responses.onError(Status.fromCodeValue(request.getResponseStatus().getCode())
          .withDescription(request.getResponseStatus().getMessage()).asRuntimeException());
      return;
    }
    responses.onNext(SimpleResponse.newBuilder().setPayload(CourierTestService.zeros(request.getResponseSize())).build());
    responses.onCompleted();
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> fullDuplexCall(StreamObserver<StreamingOutputCallResponse> responses) {
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamingOutputCallRequest request) {
        for (ResponseParameters parameters : request.getResponseParametersList()) {
          responses.onNext(StreamingOutputCallResponse.newBuilder()
              .setPayload(CourierTestService.zeros(parameters.getSize())).build());
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };
  }

  /** Echoes the two headers of the custom_metadata case, into the response headers and the trailers. */
  static ServerInterceptor echoingMetadata() {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata requestHeaders, ServerCallHandler<ReqT, RespT> next) {
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata headers) {
            if (requestHeaders.containsKey(ECHO_INITIAL)) {
              headers.put(ECHO_INITIAL, requestHeaders.get(ECHO_INITIAL));
            }
            super.sendHeaders(headers);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            if (requestHeaders.containsKey(ECHO_TRAILING)) {
              trailers.put(ECHO_TRAILING, requestHeaders.get(ECHO_TRAILING));
            }
            super.close(status, trailers);
          }
        }, requestHeaders);
      }
    };
  }
}
