package dev.courier.it.interop;

import com.google.protobuf.ByteString;
import dev.courier.it.interop.testing.EchoStatus;
import dev.courier.it.interop.testing.Payload;
import dev.courier.it.interop.testing.ResponseParameters;
import dev.courier.it.interop.testing.SimpleRequest;
import dev.courier.it.interop.testing.SimpleResponse;
import dev.courier.it.interop.testing.StreamingOutputCallRequest;
import dev.courier.it.interop.testing.StreamingOutputCallResponse;
import dev.courier.it.interop.testing.TestService;
import dev.courier.runtime.context.CallContext;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * grpc's interop TestService on Courier's generated interface. It echoes the custom_metadata
 * case's headers as grpc's interop server does, but on the call context, with no interceptor:
 * {@code x-grpc-test-echo-initial} into the response headers, {@code x-grpc-test-echo-trailing-bin}
 * into the trailers, on success and on failure.
 */
final class CourierTestService implements TestService {
  static final String ECHO_INITIAL = "x-grpc-test-echo-initial";
  static final String ECHO_TRAILING = "x-grpc-test-echo-trailing-bin";

  @Override
  public SimpleResponse unaryCall(SimpleRequest request) {
    echoMetadata(CallContext.current());
    if (request.hasResponseStatus()) {
      throw failure(request.getResponseStatus());
    }
    return SimpleResponse.newBuilder().setPayload(zeros(request.getResponseSize())).build();
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> fullDuplexCall(StreamObserver<StreamingOutputCallResponse> responses) {
    // Before the first response: the response headers go out with it.
    echoMetadata(CallContext.current());
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamingOutputCallRequest request) {
        if (request.hasResponseStatus()) {
          responses.onError(failure(request.getResponseStatus()));
          return;
        }
        for (ResponseParameters parameters : request.getResponseParametersList()) {
          responses.onNext(StreamingOutputCallResponse.newBuilder().setPayload(zeros(parameters.getSize())).build());
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

  private static void echoMetadata(CallContext call) {
    call.header(ECHO_INITIAL).ifPresent(value -> call.setResponseHeader(ECHO_INITIAL, value));
    call.binaryHeader(ECHO_TRAILING).ifPresent(value -> call.setTrailer(ECHO_TRAILING, value));
  }

  private static RuntimeException failure(EchoStatus status) {
    return Status.fromCodeValue(status.getCode()).withDescription(status.getMessage()).asRuntimeException();
  }

  static Payload zeros(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }
}
